import { createSocket } from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';

/** Whether a bind host means every interface (then the local address depends on the peer). */
export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address === '::ffff:127.0.0.1';
}

interface Subnet {
  address: string;
  network: number;
  mask: number;
}

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((n, part) => ((n << 8) | Number(part)) >>> 0, 0);
}

/**
 * The source address the routing table picks toward `remote`, found by connecting a UDP
 * socket (a route lookup: nothing is sent). Null when there is no route.
 */
function routeSource(remote: string): Promise<string | null> {
  return new Promise((resolve) => {
    const probe = createSocket(isIPv6(remote) ? 'udp6' : 'udp4');
    probe.on('error', () => {
      probe.close();
      resolve(null);
    });
    probe.connect(9, remote, () => {
      let address: string | null;
      try {
        address = probe.address().address;
      } catch {
        address = null;
      }
      probe.close();
      resolve(address);
    });
  });
}

/**
 * Which of this machine's addresses a peer reaches it at, for a socket bound to every interface
 * (Node does not say on which address a datagram arrived): loopback for loopback peers, the
 * interface whose subnet holds the peer, otherwise the default route's source address. Decided
 * without I/O per message, so a flood of forged source addresses costs nothing here.
 */
export class LocalAddresses {
  private constructor(
    private readonly fixed: string | null,
    private readonly subnets: Subnet[],
    private readonly fallback: string,
  ) {}

  /** Every address of this machine's interfaces (for recognising a Route that names it). */
  static all(): string[] {
    return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
  }

  static async discover(bindHost: string): Promise<LocalAddresses> {
    if (!isWildcard(bindHost)) return new LocalAddresses(bindHost, [], bindHost);
    const subnets: Subnet[] = [];
    for (const list of Object.values(networkInterfaces())) {
      for (const entry of list ?? []) {
        if (entry.family !== 'IPv4' || entry.internal) continue;
        const mask = ipv4ToNumber(entry.netmask);
        subnets.push({ address: entry.address, network: ipv4ToNumber(entry.address) & mask, mask });
      }
    }
    // TEST-NET-1 (RFC 5737) is never routed, but the lookup still takes the default route.
    const fallback = (await routeSource('192.0.2.1')) ?? subnets[0]?.address ?? '127.0.0.1';
    return new LocalAddresses(null, subnets, fallback);
  }

  /** The local address `remote` reaches us at. */
  toward(remote: string): string {
    if (this.fixed !== null) return this.fixed;
    if (isLoopback(remote)) return isIPv6(remote) && remote === '::1' ? '::1' : '127.0.0.1';
    if (isIPv4(remote)) {
      const n = ipv4ToNumber(remote);
      for (const subnet of this.subnets)
        if ((n & subnet.mask) >>> 0 === subnet.network >>> 0) return subnet.address;
    }
    return this.fallback;
  }
}
