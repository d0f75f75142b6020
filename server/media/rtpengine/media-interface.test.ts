import { describe, expect, it } from 'vitest';
import { LocalAddresses } from '../../sip/transport/local-address';
import { defaultMediaInterface } from './media-interface';

describe('the media address when RTPENGINE_INTERFACE is not set', () => {
  it('is HOST when it names one address, with SIP_ADVERTISED_HOST as the advertised one', async () => {
    expect(await defaultMediaInterface('127.0.0.1', null)).toEqual({ local: '127.0.0.1', advertised: null });
    expect(await defaultMediaInterface('127.0.0.1', '203.0.113.7')).toEqual({
      local: '127.0.0.1',
      advertised: '203.0.113.7',
    });
    // Advertising the local address itself is no NAT.
    expect(await defaultMediaInterface('127.0.0.1', '127.0.0.1')).toEqual({
      local: '127.0.0.1',
      advertised: null,
    });
    expect(await defaultMediaInterface('localhost', 'localhost')).toMatchObject({ advertised: null });
    // A name that does not resolve advertises nothing rather than stopping the bridge.
    expect(await defaultMediaInterface('127.0.0.1', 'no-such-host.invalid')).toEqual({
      local: '127.0.0.1',
      advertised: null,
    });
  });

  it('is an address of this machine when HOST is every interface', async () => {
    const { local } = await defaultMediaInterface('0.0.0.0', null);
    expect(LocalAddresses.all()).toContain(local);
    expect(local).not.toBe('0.0.0.0');
  });
});
