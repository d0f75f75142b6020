import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isWildcard, LocalAddresses } from '../../sip/transport/local-address';
import type { MediaInterface } from './rtpengine-config';

/** An address for `host`: itself when it is one, else its first DNS answer; null when it has none. */
async function addressOf(host: string): Promise<string | null> {
  if (isIP(host) !== 0) return host;
  return lookup(host).then(
    (answer) => answer.address,
    () => null,
  );
}

/**
 * The address rtpengine sends and receives media on, when RTPENGINE_INTERFACE does not say:
 * HOST when it names one address, else the address of the default route; written in SDP as
 * SIP_ADVERTISED_HOST when that is set (the public address of a server behind NAT), as the
 * trunk must reach the media where it reaches the signalling.
 */
export async function defaultMediaInterface(
  host: string,
  sipAdvertisedHost: string | null,
): Promise<MediaInterface> {
  const fixed = isWildcard(host) ? null : await addressOf(host);
  const local = fixed ?? (await LocalAddresses.discover('0.0.0.0')).toward('192.0.2.1');
  const advertised = sipAdvertisedHost === null ? null : await addressOf(sipAdvertisedHost);
  return { local, advertised: advertised === local ? null : advertised };
}
