import { describe, expect, it } from 'vitest';
import { EdgeAddress } from './edge-address';
import { SipHeaders } from './message/sip-headers';
import type { SipConnection } from './transport/transport';

const connection = (transport: 'ws' | 'udp' | 'tcp', localAddress = '192.0.2.5') =>
  ({ transport, localAddress, localPort: 5060 }) as unknown as SipConnection;

function edge(advertised: string | null = null): EdgeAddress {
  const address = new EdgeAddress('switchboard.local', advertised);
  address.listening('udp', 5060, ['192.0.2.5', '0.0.0.0']);
  address.listening('tcp', 5070, ['192.0.2.5']);
  return address;
}

describe('EdgeAddress', () => {
  it('names itself per transport in Via and Record-Route', () => {
    const address = edge();
    expect(address.via('z9hG4bK1', connection('ws'))).toBe('SIP/2.0/WS switchboard.local;branch=z9hG4bK1');
    expect(address.via('z9hG4bK1', connection('udp'))).toBe(
      'SIP/2.0/UDP 192.0.2.5:5060;branch=z9hG4bK1;rport',
    );
    expect(address.via('z9hG4bK1', connection('tcp'))).toBe('SIP/2.0/TCP 192.0.2.5:5070;branch=z9hG4bK1');
    expect(address.recordRoute(connection('ws'))).toBe('<sip:switchboard.local;transport=ws;lr>');
    expect(address.recordRoute(connection('udp'))).toBe('<sip:192.0.2.5:5060;lr>');
    expect(address.recordRoute(connection('tcp'))).toBe('<sip:192.0.2.5:5070;transport=tcp;lr>');
  });

  it('writes SIP_ADVERTISED_HOST toward UDP and TCP peers (behind NAT), brackets for IPv6', () => {
    expect(edge('203.0.113.7').recordRoute(connection('udp'))).toBe('<sip:203.0.113.7:5060;lr>');
    expect(edge('2001:db8::7').via('z9hG4bK2', connection('tcp'))).toBe(
      'SIP/2.0/TCP [2001:db8::7]:5070;branch=z9hG4bK2',
    );
  });

  it('Record-Routes once within a transport and twice across (RFC 5658), the far side on top', () => {
    const address = edge();
    expect(address.recordRoutes(connection('ws'), connection('ws'))).toEqual([
      '<sip:switchboard.local;transport=ws;lr>',
    ]);
    expect(address.recordRoutes(connection('ws'), connection('udp'))).toEqual([
      '<sip:192.0.2.5:5060;lr>',
      '<sip:switchboard.local;transport=ws;lr>',
    ]);
    expect(address.recordRoutes(connection('udp'), connection('tcp'))).toEqual([
      '<sip:192.0.2.5:5070;transport=tcp;lr>',
      '<sip:192.0.2.5:5060;lr>',
    ]);
  });

  it('pops both of its own Route entries and nothing past them', () => {
    const address = edge('203.0.113.7');
    const headers = new SipHeaders();
    headers.set('Route', [
      '<sip:203.0.113.7:5060;lr>',
      '<sip:switchboard.local;transport=ws;lr>',
      '<sip:192.0.2.5:5080;lr>',
    ]);
    address.popOwnRoutes(headers);
    expect(headers.getAll('route')).toEqual(['<sip:192.0.2.5:5080;lr>']);
    expect(address.isOwnRoute('<sip:192.0.2.5;lr>')).toBe(true); // port 5060 by default
    expect(address.isOwnRoute('<sip:192.0.2.5:5070;transport=tcp;lr>')).toBe(true);
    expect(address.isOwnRoute('<sip:198.51.100.1:5060;lr>')).toBe(false);
    expect(address.isOwnRoute('<sip:agent1@192.0.2.5:5060;lr>')).toBe(false);
  });
});
