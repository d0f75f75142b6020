import type { SipConnection } from '../transport/transport';
import type { ServerTransaction } from './server-transaction';

/**
 * What server transactions started before authentication may hold at once, per connection
 * and per remote address (all its connections together). A request that would go over is
 * not taken: its connection is closed.
 */
export interface PreAuthLimits {
  transactionsPerConnection: number;
  bytesPerConnection: number;
  transactionsPerAddress: number;
  bytesPerAddress: number;
}

/**
 * The limits for an address allowed `connections` unauthenticated connections at once (the
 * transport's cap). A phone has one or two requests in flight before it signs in and ACKs a
 * 407 at once: an address gets 4 transactions and 64 KiB (one largest message) per connection
 * it may hold, so a busy NAT fits and a flood is bounded to a few MiB per address.
 */
export function preAuthLimitsFor(connections: number): PreAuthLimits {
  return {
    transactionsPerConnection: 16,
    bytesPerConnection: 256 * 1024,
    transactionsPerAddress: 4 * connections,
    bytesPerAddress: 64 * 1024 * connections,
  };
}

export const defaultPreAuthLimits: PreAuthLimits = preAuthLimitsFor(32);

interface Tally {
  transactions: number;
  bytes: number;
}

interface ConnectionTally extends Tally {
  readonly connection: SipConnection;
  readonly address: string;
  /** Bytes charged per transaction. */
  readonly charged: Map<ServerTransaction, number>;
  stopWatching: () => void;
}

const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;

/** Counts what unauthenticated connections hold in server transactions, and says when it is too much. */
export class PreAuthBudget {
  readonly #limits: PreAuthLimits;
  readonly #connections = new Map<SipConnection, ConnectionTally>();
  readonly #addresses = new Map<string, Tally>();
  readonly #owners = new Map<ServerTransaction, ConnectionTally>();
  readonly #refused = new WeakSet<SipConnection>();

  constructor(limits: Partial<PreAuthLimits> = {}) {
    this.#limits = { ...defaultPreAuthLimits, ...limits };
  }

  /** Why one more transaction holding `bytes` would go over; null when it fits. */
  overLimit(connection: SipConnection, bytes: number): string | null {
    const limits = this.#limits;
    const mine = this.#connections.get(connection) ?? { transactions: 0, bytes: 0 };
    const address = this.#addresses.get(connection.remoteAddress) ?? { transactions: 0, bytes: 0 };
    const over = (what: string) => `Too many requests before authentication (${what})`;
    if (mine.transactions + 1 > limits.transactionsPerConnection)
      return over(`${limits.transactionsPerConnection} transactions per connection`);
    if (mine.bytes + bytes > limits.bytesPerConnection)
      return over(`${kib(limits.bytesPerConnection)} per connection`);
    if (address.transactions + 1 > limits.transactionsPerAddress)
      return over(`${limits.transactionsPerAddress} transactions per address`);
    if (address.bytes + bytes > limits.bytesPerAddress)
      return over(`${kib(limits.bytesPerAddress)} per address`);
    return null;
  }

  /** Marks a connection as closed for going over: nothing more from it is taken. */
  refuse(connection: SipConnection): void {
    this.#refused.add(connection);
  }

  isRefused(connection: SipConnection): boolean {
    return this.#refused.has(connection);
  }

  charge(transaction: ServerTransaction, bytes: number): void {
    const { connection } = transaction;
    let tally = this.#connections.get(connection);
    if (!tally) {
      const created: ConnectionTally = {
        transactions: 0,
        bytes: 0,
        connection,
        address: connection.remoteAddress,
        charged: new Map(),
        stopWatching: () => {},
      };
      // Without its connection, a transaction waiting for an ACK only waits for timer H.
      created.stopWatching = connection.onClose(() => {
        for (const held of [...created.charged.keys()]) held.connectionClosed();
      });
      this.#connections.set(connection, created);
      tally = created;
    }
    tally.charged.set(transaction, bytes);
    this.#owners.set(transaction, tally);
    this.#add(tally, 1, bytes);
  }

  /** The transaction now holds `bytes` (it let its request go). */
  resize(transaction: ServerTransaction, bytes: number): void {
    const tally = this.#owners.get(transaction);
    const before = tally?.charged.get(transaction);
    if (!tally || before === undefined) return;
    tally.charged.set(transaction, bytes);
    this.#add(tally, 0, bytes - before);
  }

  /** The transaction ended. */
  release(transaction: ServerTransaction): void {
    const tally = this.#owners.get(transaction);
    const bytes = tally?.charged.get(transaction);
    if (!tally || bytes === undefined) return;
    this.#owners.delete(transaction);
    tally.charged.delete(transaction);
    this.#add(tally, -1, -bytes);
  }

  /** The connection authenticated: what it holds counts no more. */
  forgive(connection: SipConnection): void {
    const tally = this.#connections.get(connection);
    if (!tally) return;
    for (const transaction of [...tally.charged.keys()]) this.release(transaction);
  }

  /** Connections and addresses with something charged, for tests. */
  get size(): { connections: number; addresses: number } {
    return { connections: this.#connections.size, addresses: this.#addresses.size };
  }

  #add(tally: ConnectionTally, transactions: number, bytes: number): void {
    tally.transactions += transactions;
    tally.bytes += bytes;
    const address = this.#addresses.get(tally.address) ?? { transactions: 0, bytes: 0 };
    address.transactions += transactions;
    address.bytes += bytes;
    if (address.transactions > 0) this.#addresses.set(tally.address, address);
    else this.#addresses.delete(tally.address);
    if (tally.transactions === 0) {
      tally.stopWatching();
      this.#connections.delete(tally.connection);
    }
  }
}
