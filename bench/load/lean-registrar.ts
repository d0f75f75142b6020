// A third reference for bench:sip: the least a registrar written in TypeScript on Node must do for
// the generator's REGISTERs, on `ws` in one thread. It reads the few headers it needs, challenges
// with the edge's own nonces (NonceManager: signed, nonce-counts remembered), checks the MD5
// answer against the user's HA1, keeps one binding per user and answers 401 or 200 as the edge
// does. No transactions, no general header model, no limiter, no policy, no socket worker: what
// it costs above the `ws` floor is the SIP work any JavaScript registrar pays here; what the
// edge costs above it is the price of its general stack. A bench reference only: it answers
// nothing but these REGISTERs and checks little of what it reads.
import { computeDigestResponse } from '../../server/sip/auth/digest';
import { NonceManager } from '../../server/sip/auth/nonce';
import { randomBase64url } from '../../server/sip/message/random-pool';
import { serveSipWebSocket } from './loopback-sip-websocket';

/** The headers a REGISTER is answered from, as written. */
type Read = {
  requestUri: string;
  via: string;
  from: string;
  to: string;
  callId: string;
  cseq: string;
  contact: string;
  authorization: string;
};

/** The request line's URI and the wanted headers; null when one is missing. */
function readRegister(text: string): Read | null {
  const read: Read = {
    requestUri: '',
    via: '',
    from: '',
    to: '',
    callId: '',
    cseq: '',
    contact: '',
    authorization: '',
  };
  const lineEnd = text.indexOf('\r\n');
  const firstSpace = text.indexOf(' ');
  if (lineEnd === -1 || !text.startsWith('REGISTER ')) return null;
  read.requestUri = text.slice(firstSpace + 1, text.lastIndexOf(' ', lineEnd));
  for (let start = lineEnd + 2; start < text.length;) {
    const end = text.indexOf('\r\n', start);
    if (end === -1 || end === start) break;
    const colon = text.indexOf(':', start);
    const name = text.slice(start, colon).toLowerCase();
    const value = text.slice(colon + 1, end).trim();
    if (name === 'via' || name === 'v') read.via ||= value;
    else if (name === 'from' || name === 'f') read.from = value;
    else if (name === 'to' || name === 't') read.to = value;
    else if (name === 'call-id' || name === 'i') read.callId = value;
    else if (name === 'cseq') read.cseq = value;
    else if (name === 'contact' || name === 'm') read.contact = value;
    else if (name === 'authorization') read.authorization = value;
    start = end + 2;
  }
  return read.via && read.from && read.to && read.callId && read.cseq ? read : null;
}

/** The value of `name` in a Digest header (quoted or not). */
function param(header: string, name: string): string {
  const at = header.indexOf(`${name}=`);
  if (at === -1) return '';
  const start = at + name.length + 1;
  if (header[start] === '"') return header.slice(start + 1, header.indexOf('"', start + 1));
  const end = header.indexOf(',', start);
  return header.slice(start, end === -1 ? undefined : end).trim();
}

/** The user part of a To header's SIP URI. */
function userOf(to: string): string {
  const at = to.indexOf('@');
  return to.slice(to.indexOf('sip:') + 4, at);
}

/** Listens on loopback; resolves to the port. `ha1s`: each user's MD5 HA1 for `realm`. */
export function serveLeanRegistrar(realm: string, ha1s: ReadonlyMap<string, string>): Promise<number> {
  const nonces = new NonceManager({ secret: randomBase64url(32) });
  const bindings = new Map<string, { contact: string; expiresAt: number }>();
  function answer(read: Read, status: string, extra: string): string {
    return (
      `SIP/2.0 ${status}\r\nVia: ${read.via}\r\nFrom: ${read.from}\r\nTo: ${read.to};tag=${randomBase64url(6)}\r\n` +
      `Call-ID: ${read.callId}\r\nCSeq: ${read.cseq}\r\n${extra}Content-Length: 0\r\n\r\n`
    );
  }

  function challenge(read: Read): string {
    const nonce = nonces.issue();
    return answer(
      read,
      '401 Unauthorized',
      `WWW-Authenticate: Digest realm="${realm}", nonce="${nonce}", algorithm=MD5, qop="auth"\r\n`,
    );
  }

  function handle(text: string): string | null {
    const read = readRegister(text);
    if (!read) return null;
    const { authorization } = read;
    if (!authorization) return challenge(read);
    const user = param(authorization, 'username');
    const nonce = param(authorization, 'nonce');
    const ha1 = ha1s.get(user);
    if (!ha1 || param(authorization, 'realm') !== realm || user !== userOf(read.to)) return challenge(read);
    if (nonces.check(nonce) !== 'valid') return challenge(read);
    const nc = param(authorization, 'nc');
    const cnonce = param(authorization, 'cnonce');
    const expected = computeDigestResponse({
      algorithm: 'MD5',
      ha1,
      nonce,
      nc,
      cnonce,
      method: 'REGISTER',
      uri: param(authorization, 'uri'),
    });
    if (expected !== param(authorization, 'response')) {
      return challenge(read);
    }
    if (nonces.useCount(nonce, Number.parseInt(nc, 16)) !== 'ok') return challenge(read);
    const contact = read.contact.slice(read.contact.indexOf('<') + 1, read.contact.indexOf('>'));
    bindings.set(user, { contact, expiresAt: Date.now() + 600_000 });
    return answer(read, '200 OK', `Contact: <${contact}>;expires=600\r\n`);
  }

  return serveSipWebSocket((message) => {
    const reply = handle(message.toString());
    return reply === null ? null : Buffer.from(reply);
  });
}
