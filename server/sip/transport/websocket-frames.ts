import type { RawData } from 'ws';

/** WebSocket close code for a policy violation (RFC 6455 7.4.1). */
export const POLICY_VIOLATION = 1008;
/** A peer closed for a policy violation gets this long to finish the closing handshake. */
export const POLICY_CLOSE_GRACE_MS = 2000;
/** A close reason may take 123 bytes (RFC 6455 5.5: a control frame's payload is at most 125). */
export const closeReason = (sentence: string): string => Buffer.from(sentence).subarray(0, 123).toString();

export function toBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/**
 * RFC 7118 4.1: one SIP message per WebSocket message, in a text frame (UTF-8, which ws has
 * checked) or a binary frame, kept as bytes: its body may be binary, and Content-Length
 * counts bytes.
 */
export function framePayload(data: RawData, isBinary: boolean): string | Buffer {
  const bytes = toBytes(data);
  return isBinary ? bytes : bytes.toString('utf8');
}

/** RFC 5626 4.4.1 keep-alive: a double CRLF "ping", in either kind of frame. */
export function isCrlfPing(payload: string | Buffer): boolean {
  if (payload.length === 0 || payload.length % 2 !== 0) return false;
  const text = typeof payload === 'string';
  for (let i = 0; i < payload.length; i += 2) {
    const cr = text ? payload.charCodeAt(i) : payload[i];
    const lf = text ? payload.charCodeAt(i + 1) : payload[i + 1];
    if (cr !== 13 || lf !== 10) return false;
  }
  return true;
}
