import { WebSocket, WebSocketServer, type RawData } from 'ws';

// What a SIP WebSocket's socket needs wherever it is held: in the edge's process
// (websocket-transport.ts) or in a socket worker (socket-workers/worker.ts).

/** The WebSocket subprotocol of SIP (RFC 7118 4.1). */
export const SUBPROTOCOL = 'sip';
/** WebSocket close code for a policy violation (RFC 6455 7.4.1). */
const POLICY_VIOLATION = 1008;
/** A peer closed for a policy violation gets this long to finish the closing handshake. */
const POLICY_CLOSE_GRACE_MS = 2000;

/** The upgrade half of ws for SIP: no HTTP server of its own, subprotocol `sip` only. */
export function sipWebSocketServer(maxPayload: number): WebSocketServer {
  return new WebSocketServer({
    noServer: true,
    maxPayload,
    clientTracking: false,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
}

/** ws.send's options for a text frame and a binary frame (one object each, not one per send). */
const TEXT_FRAME = { binary: false };
const BINARY_FRAME = { binary: true };

/**
 * Queues one message: text as a text frame, bytes (a binary body) as a binary frame (RFC 7118
 * 4.1), or, with `frame`, bytes as that kind of frame (a socket worker holds a text message as
 * the UTF-8 bytes the edge sent). False when it is not open, or when its peer has left more than
 * `maxBuffered` bytes unread: a peer that does not read cannot make us hold its messages without
 * bound, so it is terminated.
 */
export function sendWithin(
  ws: WebSocket,
  payload: string | Buffer,
  maxBuffered: number,
  sent: (error?: Error | null) => void,
  frame: 'text' | 'binary' = typeof payload === 'string' ? 'text' : 'binary',
): boolean {
  if (ws.readyState !== WebSocket.OPEN) return false;
  if (ws.bufferedAmount > maxBuffered) {
    ws.terminate();
    return false;
  }
  ws.send(payload, frame === 'text' ? TEXT_FRAME : BINARY_FRAME, sent);
  return true;
}

/**
 * Closes normally (1000), or with a reason as a policy violation (1008) the peer gets 2 s to
 * answer. The reason is for the peer's developer and may take 123 bytes (RFC 6455 5.5).
 */
export function closeWebSocket(ws: WebSocket, reason?: string): void {
  if (reason === undefined) {
    ws.close(1000);
    return;
  }
  ws.close(POLICY_VIOLATION, Buffer.from(reason).subarray(0, 123).toString());
  setTimeout(() => ws.terminate(), POLICY_CLOSE_GRACE_MS).unref();
}

/**
 * One keep-alive round (RFC 6455 pings) for one peer: terminated when it has answered neither of
 * the last two pings, else pinged. Its holder sets silentRounds to 0 whenever it hears it.
 */
export function keepAliveRound(peer: { silentRounds: number }, ws: WebSocket): void {
  if (peer.silentRounds >= 2) {
    ws.terminate();
    return;
  }
  peer.silentRounds += 1;
  ws.ping();
}

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
