// The ceiling of a Node WebSocket server on this machine for bench:sip: `ws` answering each
// REGISTER with fixed bytes (401 with a challenge, then 200 to one that carries Authorization),
// no parsing, no digest, no bindings. What is left between it and the edge is SIP work.
import { serveSipWebSocket } from './loopback-sip-websocket';

export const CANNED_CHALLENGE = [
  'SIP/2.0 401 Unauthorized',
  'Via: SIP/2.0/WS canned.invalid;branch=z9hG4bKcanned',
  'From: <sip:canned@bench.local>;tag=canned',
  'To: <sip:canned@bench.local>;tag=canned',
  'Call-ID: canned',
  'CSeq: 1 REGISTER',
  'WWW-Authenticate: Digest realm="bench.local", nonce="AAABjDkq9r4AAAAAAAAAAAAAAAAAAAAAAAAA", algorithm=MD5, qop="auth"',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');
export const CANNED_REGISTERED = [
  'SIP/2.0 200 OK',
  'Via: SIP/2.0/WS canned.invalid;branch=z9hG4bKcanned',
  'From: <sip:canned@bench.local>;tag=canned',
  'To: <sip:canned@bench.local>;tag=canned',
  'Call-ID: canned',
  'CSeq: 2 REGISTER',
  'Contact: <sip:canned@canned.invalid;transport=ws>;expires=600',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

const challengeBytes = Buffer.from(CANNED_CHALLENGE);
const registeredBytes = Buffer.from(CANNED_REGISTERED);
const AUTHORIZATION = Buffer.from('\r\nAuthorization:');

/** Whether a REGISTER answers the challenge (then it gets the 200). */
export function carriesAuthorization(message: Buffer): boolean {
  return message.includes(AUTHORIZATION);
}

/** Listens on loopback; resolves to the port. */
export function serveCannedRegistrar(): Promise<number> {
  return serveSipWebSocket((message) => (carriesAuthorization(message) ? registeredBytes : challengeBytes));
}
