import { describe, expect, it } from 'vitest';
import { decodedUser, formatSipUri, parseSipUri } from './sip-uri';

describe('parseSipUri', () => {
  it('parses user, password, host, port, params and headers', () => {
    const uri = parseSipUri('sips:alice:secret@Example.COM:5061;transport=tcp;lr?subject=hi&priority=urgent');
    expect(uri).toMatchObject({
      scheme: 'sips',
      user: 'alice',
      password: 'secret',
      host: 'example.com',
      port: 5061,
    });
    expect([...(uri?.params ?? [])]).toEqual([
      ['transport', 'tcp'],
      ['lr', null],
    ]);
    expect([...(uri?.headers ?? [])]).toEqual([
      ['subject', 'hi'],
      ['priority', 'urgent'],
    ]);
  });

  it('parses a sip.js WebSocket contact and an edge route', () => {
    expect(parseSipUri('sip:b8ja5v3f@4jg8dmoqnu8d.invalid;transport=ws;ob')).toMatchObject({
      user: 'b8ja5v3f',
      host: '4jg8dmoqnu8d.invalid',
      port: null,
    });
    expect(parseSipUri('sip:10.0.0.1:8080;lr')?.user).toBeNull();
  });

  it('parses IPv6 hosts and telephone-subscriber users with ;', () => {
    expect(parseSipUri('sip:[2001:db8::1]:5060')).toMatchObject({
      host: '[2001:db8::1]',
      port: 5060,
    });
    const tel = parseSipUri('sip:+1-212-555-1212;phone-context=example.com@gw.example.com;user=phone');
    expect(tel?.user).toBe('+1-212-555-1212;phone-context=example.com');
    expect(tel?.params.get('user')).toBe('phone');
  });

  it('decodes escaped users', () => {
    const uri = parseSipUri('sip:j%40hn@example.com');
    expect(uri && decodedUser(uri)).toBe('j@hn');
  });

  it.each([
    'tel:+12125551212',
    'sip:',
    'sip:@example.com',
    'sip:alice@',
    'sip:alice@exa mple.com',
    'sip:alice@example.com:0',
    'sip:alice@example.com:70000',
    'sip:alice@example.com:50a',
    'sip:alice@[::1',
    'sip:alice@example.com;=x',
    'sip:alice@example.com?novalue',
  ])('rejects %s', (text) => {
    expect(parseSipUri(text)).toBeNull();
  });

  it('formats what it parsed', () => {
    for (const text of [
      'sip:alice@example.com',
      'sips:alice:pw@example.com:5061;transport=tcp;lr?subject=hi',
      'sip:[::1]:5080;maddr=10.0.0.1',
    ]) {
      const uri = parseSipUri(text);
      expect(uri && formatSipUri(uri)).toBe(text);
    }
  });
});
