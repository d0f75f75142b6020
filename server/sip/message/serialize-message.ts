import { headerKey, isListHeader } from './header-names';
import type { SipMessage } from './sip-message';

// A value set by code (a reason phrase from policy, say) must not be able to inject lines.
function singleLine(text: string): string {
  return /[\r\n]/.test(text) ? text.replace(/[\r\n]+/g, ' ') : text;
}

/**
 * Serializes a message with canonical header names, one line per list header (values
 * joined by commas) and per value of other headers, and a Content-Length computed from the
 * body (any Content-Length header is replaced). Via is the exception: one line per hop,
 * because sip.js 0.21 reads a comma-joined Via line as one hop with the last branch (so
 * it would answer a proxy's CANCEL with 481 and mismatch responses).
 */
export function serializeMessage(message: SipMessage): string {
  let out =
    message.kind === 'request'
      ? `${message.method} ${singleLine(message.uri)} SIP/2.0\r\n`
      : `SIP/2.0 ${message.status} ${singleLine(message.reason)}\r\n`;
  for (const [name, values] of message.headers.entries()) {
    if (headerKey(name) === 'content-length') continue;
    if (isListHeader(name) && headerKey(name) !== 'via') {
      out += `${name}: ${singleLine(values.join(', '))}\r\n`;
    } else for (const value of values) out += `${name}: ${singleLine(value)}\r\n`;
  }
  out += `Content-Length: ${Buffer.byteLength(message.body)}\r\n\r\n`;
  return out + message.body;
}
