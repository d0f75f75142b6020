import type { SipRequest } from '../message/sip-message';

/** Roughly the bytes a request's text takes (start line, headers, body). */
export function requestBytes(request: SipRequest): number {
  let bytes = request.method.length + request.uri.length + 12 + request.body.length;
  for (const [name, values] of request.headers.entries()) {
    for (const value of values) bytes += name.length + value.length + 4;
  }
  return bytes;
}

/**
 * A copy of `text` that shares nothing with the string it came from. A slice of a received
 * message (a header value, a key built from one) would otherwise keep the whole message alive.
 */
export function detachedCopy(text: string): string;
export function detachedCopy(text: string | Buffer): string | Buffer;
export function detachedCopy(text: string | Buffer): string | Buffer {
  if (typeof text !== 'string') return Buffer.from(text);
  return Buffer.from(text, 'utf8').toString('utf8');
}
