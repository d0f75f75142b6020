import { describe, expect, it } from 'vitest';
import { addressOf } from './kamailio-location';

describe('addressOf', () => {
  it('reads the WebSocket peer from the received parameter of the saved Path', () => {
    const row = {
      received: null,
      path: '<sip:127.0.0.1:5070;lr;received=sip%3A192.0.2.7%3A51234%3Btransport%3Dws>',
      contact: 'sip:k3j2h1@df7jal23ls0d.invalid;transport=ws',
    };
    expect(addressOf(row)).toEqual({ transport: 'ws', remoteAddress: '192.0.2.7:51234' });
  });

  it('prefers the received column, and keeps an IPv6 address whole', () => {
    const row = { received: 'sip:[2001:db8::5]:5062;transport=tcp', path: null, contact: 'sip:a@b' };
    expect(addressOf(row)).toEqual({ transport: 'tcp', remoteAddress: '[2001:db8::5]:5062' });
  });

  it('falls back to the Contact, UDP when it names no transport', () => {
    const row = { received: null, path: '', contact: '<sip:1001@198.51.100.4:5060;ob>' };
    expect(addressOf(row)).toEqual({ transport: 'udp', remoteAddress: '198.51.100.4:5060' });
  });
});
