import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** Every address a host name resolves to (an IP literal is its own). */
export type ResolveHost = (host: string) => Promise<string[]>;

/**
 * The system resolver (node:dns lookup: hosts file, then DNS), all addresses, IPv4 first: the
 * edge's sockets bound to an IPv4 HOST (the default 0.0.0.0) cannot send to IPv6 ones.
 */
export const resolveWithSystem: ResolveHost = async (host) => {
  if (isIP(host)) return [host];
  const found = await lookup(host, { all: true, order: 'ipv4first' });
  return found.map((each) => each.address);
};

/** An address as compared with a connection's source: lowercase, IPv4-mapped IPv6 unwrapped. */
export function plainAddress(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}

/**
 * A trunk's host and the addresses it resolves to, looked up again once `refreshMs` has passed
 * (on the next use: the keep-alive uses it every 30 s). When a refresh fails the addresses known
 * so far are kept; with none known the failure is a sentence naming the host.
 */
export class TrunkHost {
  #addresses: string[] = [];
  #resolvedAt = -Infinity;
  #pending: Promise<string[]> | null = null;

  constructor(
    readonly host: string,
    private readonly resolve: ResolveHost,
    private readonly refreshMs: number,
  ) {
    if (isIP(host)) {
      this.#addresses = [plainAddress(host)];
      this.#resolvedAt = Infinity;
    }
  }

  /** The addresses known now (none before the first lookup). */
  get addresses(): readonly string[] {
    return this.#addresses;
  }

  has(address: string): boolean {
    return this.#addresses.includes(plainAddress(address));
  }

  /** The address to send to: the first one the host resolves to. */
  async current(): Promise<string> {
    const addresses = await this.#fresh();
    const first = addresses[0];
    if (first === undefined) throw new Error(`The trunk's host ${this.host} resolves to no address`);
    return first;
  }

  #fresh(): Promise<string[]> {
    if (performance.now() - this.#resolvedAt < this.refreshMs) return Promise.resolve(this.#addresses);
    this.#pending ??= this.resolve(this.host)
      .then(
        (found) => {
          this.#addresses = [...new Set(found.map(plainAddress))];
          this.#resolvedAt = performance.now();
          return this.#addresses;
        },
        (error: unknown) => {
          if (this.#addresses.length > 0) return this.#addresses;
          const code = (error as NodeJS.ErrnoException | null)?.code;
          throw new Error(
            `The trunk's host ${this.host} could not be resolved${code ? ` (${code})` : ''}; check its name`,
          );
        },
      )
      .finally(() => {
        this.#pending = null;
      });
    return this.#pending;
  }
}
