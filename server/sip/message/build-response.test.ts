import { describe, expect, it } from 'vitest';
import { buildResponse } from './build-response';
import { parseNameAddr } from './name-addr';
import { parseMessage } from './parse-message';
import { jsSipInvite, sipJsRegister } from './sample-messages.fixture';
import { serializeMessage } from './serialize-message';
import type { SipRequest } from './sip-message';

function request(text: string): SipRequest {
  const result = parseMessage(text);
  if (!result.ok || result.message.kind !== 'request') throw new Error('bad fixture');
  return result.message;
}

describe('buildResponse', () => {
  it('copies Via, From, To, Call-ID and CSeq and adds a To tag (RFC 3261 8.2.6)', () => {
    const invite = request(
      jsSipInvite.replace(
        'Max-Forwards: 69',
        'Via: SIP/2.0/UDP proxy.example;branch=z9hG4bKp\r\nMax-Forwards: 69',
      ),
    );
    const response = buildResponse(invite, 486, 'Busy Here', { toTag: 'fixed' });
    expect(response.headers.getAll('via')).toEqual(invite.headers.getAll('via'));
    expect(response.headers.get('from')).toBe(invite.headers.get('from'));
    expect(response.headers.get('call-id')).toBe('6gtdmrqbc9rc1mj7ghjcnk');
    expect(response.headers.get('cseq')).toBe('7417 INVITE');
    expect(response.headers.get('to')).toBe('<sip:bob@switchboard.example>;tag=fixed');
    expect(response.headers.has('contact')).toBe(false);
    expect(response.body).toBe('');
  });

  it('keeps an existing To tag and generates one when not given', () => {
    const tagged = request(
      sipJsRegister.replace(
        'To: <sip:alice@switchboard.example>',
        'To: <sip:alice@switchboard.example>;tag=abc',
      ),
    );
    expect(buildResponse(tagged, 200, 'OK').headers.get('to')).toMatch(/;tag=abc$/);
    const generated = buildResponse(request(sipJsRegister), 401, 'Unauthorized').headers.get('to') ?? '';
    expect(parseNameAddr(generated)?.params.get('tag')).toMatch(/^[A-Za-z0-9_-]{8,}$/);
  });

  it('adds no tag to 100 Trying and echoes Timestamp there', () => {
    const invite = request(jsSipInvite.replace('Max-Forwards: 69', 'Max-Forwards: 69\r\nTimestamp: 54'));
    const trying = buildResponse(invite, 100, 'Trying');
    expect(trying.headers.get('to')).toBe('<sip:bob@switchboard.example>');
    expect(trying.headers.get('timestamp')).toBe('54');
  });

  it('adds extra headers and a body and serializes to a parseable response', () => {
    const response = buildResponse(request(sipJsRegister), 200, 'OK', {
      headers: [['Contact', '<sip:b8ja5v3f@4jg8dmoqnu8d.invalid;transport=ws>;expires=600']],
    });
    const reparsed = parseMessage(serializeMessage(response));
    expect(reparsed.ok && reparsed.message.kind === 'response' && reparsed.message.status).toBe(200);
  });

  it('answers a malformed request from what the parser read', () => {
    const result = parseMessage(sipJsRegister.replace('CSeq: 2 REGISTER', 'CSeq: 2 INVITE'));
    if (result.ok || !result.error.request) throw new Error('expected an answerable error');
    const response = buildResponse(result.error.request, result.error.status, result.error.reason);
    const text = serializeMessage(response);
    expect(text.startsWith('SIP/2.0 400 CSeq method does not match the request\r\n')).toBe(true);
    expect(text).toContain('CSeq: 2 INVITE\r\n');
  });

  it('cannot be made to inject header lines through the reason phrase', () => {
    const text = serializeMessage(buildResponse(request(sipJsRegister), 403, 'No\r\nX-Evil: 1'));
    expect(text).not.toContain('\r\nX-Evil');
  });
});
