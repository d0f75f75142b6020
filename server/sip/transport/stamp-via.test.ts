import { describe, expect, it } from 'vitest';
import { topViaOf } from '../message/message-fields';
import { parseMessage } from '../message/parse-message';
import type { SipRequest } from '../message/sip-message';
import { stampTopVia } from './stamp-via';

function request(via: string): SipRequest {
  const text = [
    'OPTIONS sip:edge.example SIP/2.0',
    `Via: ${via}`,
    'Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKold',
    'From: <sip:a@edge.example>;tag=1',
    'To: <sip:edge.example>',
    'Call-ID: stamp-via',
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const result = parseMessage(text);
  if (!result.ok || result.message.kind !== 'request') throw new Error('unparsed');
  return result.message;
}

describe('stampTopVia', () => {
  it('adds received and the source port when rport is asked, and the parsed top Via says so', () => {
    const message = request('SIP/2.0/WS client.invalid;branch=z9hG4bKtop;rport');
    stampTopVia(message, '192.0.2.7', 40123);
    expect(message.headers.getAll('via')).toEqual([
      'SIP/2.0/WS client.invalid;branch=z9hG4bKtop;rport=40123;received=192.0.2.7',
      'SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKold',
    ]);
    const top = topViaOf(message);
    expect(top?.params.get('received')).toBe('192.0.2.7');
    expect(top?.params.get('rport')).toBe('40123');
  });

  it('adds received alone when the sent-by host is not the source address', () => {
    const message = request('SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bKtop');
    stampTopVia(message, '198.51.100.4', 5060);
    expect(message.headers.get('via')).toBe(
      'SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bKtop;received=198.51.100.4',
    );
  });

  it('leaves the Via as written when it already names the source and asks no rport', () => {
    const via = 'SIP/2.0/UDP 198.51.100.4:5060 ;branch=z9hG4bKtop';
    const message = request(via);
    const before = topViaOf(message);
    stampTopVia(message, '198.51.100.4', 5060);
    expect(message.headers.get('via')).toBe(via);
    expect(topViaOf(message)).toBe(before);
  });
});
