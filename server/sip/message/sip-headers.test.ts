import { describe, expect, it } from 'vitest';
import { SipHeaders } from './sip-headers';

describe('SipHeaders', () => {
  it('treats names case-insensitively and compact forms as the full name', () => {
    const headers = new SipHeaders();
    headers.append('v', 'SIP/2.0/WS a.invalid;branch=z9hG4bK1');
    headers.append('VIA', 'SIP/2.0/WS b.invalid;branch=z9hG4bK2');
    expect(headers.getAll('Via')).toHaveLength(2);
    expect([...headers.entries()].map(([name]) => name)).toEqual(['Via']);
    headers.set('call-id', 'x');
    expect(headers.get('i')).toBe('x');
    expect([...headers.entries()].map(([name]) => name)).toEqual(['Via', 'Call-ID']);
  });

  it('keeps the spelling of unknown headers', () => {
    const headers = new SipHeaders();
    headers.set('X-Monitor-Mode', 'listen');
    expect([...headers.entries()]).toEqual([['X-Monitor-Mode', ['listen']]]);
    expect(headers.get('x-monitor-mode')).toBe('listen');
  });

  it('prepends and shifts (a proxy adding and removing its Via)', () => {
    const headers = new SipHeaders();
    headers.set('Via', ['SIP/2.0/WS client.invalid;branch=z9hG4bKc']);
    headers.prepend('Via', 'SIP/2.0/WSS edge.example;branch=z9hG4bKe');
    expect(headers.get('via')).toContain('edge.example');
    expect(headers.shift('via')).toContain('edge.example');
    expect(headers.getAll('via')).toEqual(['SIP/2.0/WS client.invalid;branch=z9hG4bKc']);
    headers.shift('via');
    expect(headers.has('via')).toBe(false);
    expect(headers.shift('via')).toBeUndefined();
  });

  it('removes, counts and clones independently', () => {
    const headers = new SipHeaders();
    headers.set('Allow', ['INVITE', 'ACK']);
    headers.set('Route', []);
    expect(headers.has('route')).toBe(false);
    expect(headers.size).toBe(2);
    const copy = headers.clone();
    copy.append('Allow', 'BYE');
    expect(headers.getAll('allow')).toEqual(['INVITE', 'ACK']);
    headers.remove('ALLOW');
    expect(headers.size).toBe(0);
    expect(copy.size).toBe(3);
  });
  it('replaces the first value keeping what it was parsed as, the rest untouched', () => {
    const headers = new SipHeaders();
    headers.set('Via', ['SIP/2.0/WS a.invalid;branch=z9hG4bKa', 'SIP/2.0/WS b.invalid;branch=z9hG4bKb']);
    const parse = (value: string) => ({ text: value });
    const parsed = parse('SIP/2.0/WS a.invalid;branch=z9hG4bKa;received=127.0.0.1');
    headers.replaceFirst('v', parsed.text, parse, parsed);
    expect(headers.getAll('via')).toEqual([parsed.text, 'SIP/2.0/WS b.invalid;branch=z9hG4bKb']);
    expect(headers.parsed('via', parse)).toBe(parsed);
    headers.replaceFirst('Contact', '<sip:a@b>', parse, parse('<sip:a@b>'));
    expect(headers.getAll('contact')).toEqual(['<sip:a@b>']);
  });
});
