import { describe, expect, it } from 'vitest';
import {
  callIdOf,
  cseqOf,
  fromOf,
  fromTagOf,
  requestUriOf,
  requestUserOf,
  toTagOf,
  toUserOf,
  topViaOf,
} from './message-fields';
import { parseNameAddr } from './name-addr';
import { parseMessage } from './parse-message';
import type { SipRequest } from './sip-message';

const invite = [
  'INVITE sip:1002@switchboard.local SIP/2.0',
  'Via: SIP/2.0/WSS abc.invalid;branch=z9hG4bK776asdhds',
  'Via: SIP/2.0/WSS def.invalid;branch=z9hG4bK1',
  'Max-Forwards: 70',
  'To: "Bob" <sip:1002@switchboard.local>',
  'From: "Alice" <sip:alice@switchboard.local>;tag=1928301774',
  'Call-ID: a84b4c76e66710',
  'CSeq: 314159 INVITE',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

function parsed(): SipRequest {
  const result = parseMessage(invite);
  if (!result.ok || result.message.kind !== 'request') throw new Error('the sample must parse');
  return result.message;
}

describe('message fields', () => {
  it('reads what every hop needs', () => {
    const request = parsed();
    expect(fromTagOf(request)).toBe('1928301774');
    expect(toTagOf(request)).toBeNull();
    expect(toUserOf(request)).toBe('1002');
    expect(callIdOf(request)).toBe('a84b4c76e66710');
    expect(cseqOf(request)).toEqual({ seq: 314159, method: 'INVITE' });
    expect(topViaOf(request)?.params.get('branch')).toBe('z9hG4bK776asdhds');
    expect(requestUserOf(request)).toBe('1002');
  });

  it('parses each header once: the parser validated it, the handlers get the same object', () => {
    const request = parsed();
    expect(fromOf(request)).toBe(fromOf(request));
    expect(cseqOf(request)).toBe(cseqOf(request));
    expect(topViaOf(request)).toBe(topViaOf(request));
    expect(requestUriOf(request)).toBe(requestUriOf(request));
    // A forwarded copy is not parsed again either.
    const copy = request.headers.clone();
    expect(copy.parsed('from', parseNameAddr)).toBe(fromOf(request));
  });

  it('forgets what it parsed when the header changes', () => {
    const request = parsed();
    const before = topViaOf(request);
    request.headers.prepend('Via', 'SIP/2.0/WSS edge.invalid;branch=z9hG4bKedge');
    expect(topViaOf(request)?.params.get('branch')).toBe('z9hG4bKedge');
    request.headers.shift('via');
    expect(topViaOf(request)).toEqual(before);
    request.headers.set('To', '<sip:1003@switchboard.local>;tag=x');
    expect(toTagOf(request)).toBe('x');
    request.uri = 'sip:1004@switchboard.local';
    expect(requestUserOf(request)).toBe('1004');
  });
});
