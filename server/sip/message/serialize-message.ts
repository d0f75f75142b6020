import { isListHeader } from './header-names';
import type { SipMessage } from './sip-message';

// A value set by code (a reason phrase from policy, say) must not be able to inject lines.
function singleLine(text: string): string {
  return text.includes('\r') || text.includes('\n') ? text.replace(/[\r\n]+/g, ' ') : text;
}

/** A message as it goes on the wire: text, or bytes when its body is binary. */
export type WireMessage = string | Buffer;

/**
 * Serializes a message with canonical header names, one line per list header (values
 * joined by commas) and per value of other headers, and a Content-Length computed from the
 * body (any Content-Length header is replaced). Via is the exception: one line per hop,
 * because sip.js 0.21 reads a comma-joined Via line as one hop with the last branch (so
 * it would answer a proxy's CANCEL with 481 and mismatch responses).
 * A binary body makes the result a Buffer (sent as a binary WebSocket frame, RFC 7118).
 */
export function encodeMessage(message: SipMessage): WireMessage {
  let out =
    message.kind === 'request'
      ? `${message.method} ${singleLine(message.uri)} SIP/2.0\r\n`
      : `SIP/2.0 ${message.status} ${singleLine(message.reason)}\r\n`;
  message.headers.forEach((name, values, key) => {
    if (key === 'content-length') return;
    if (key !== 'via' && isListHeader(key)) {
      out += `${name}: ${singleLine(values.join(', '))}\r\n`;
    } else for (const value of values) out += `${name}: ${singleLine(value)}\r\n`;
  });
  const { body } = message;
  if (typeof body !== 'string') {
    out += `Content-Length: ${body.length}\r\n\r\n`;
    return Buffer.concat([Buffer.from(out), body]);
  }
  out += `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  return out + body;
}

/**
 * The message as text, for messages with a text body (tests, logs). A binary body shows as
 * one latin1 character per byte: send encodeMessage's result instead.
 */
export function serializeMessage(message: SipMessage): string {
  const wire = encodeMessage(message);
  return typeof wire === 'string' ? wire : wire.toString('latin1');
}
