import { MIX_FEATURE_TAG } from '../../../contracts/monitor-header';
import type { Params } from '../message/header-syntax';
import type { SipConnection } from '../transport/transport';

/** One registered device: a Contact bound to a user on one connection. */
export interface Binding {
  readonly id: string;
  readonly userId: number;
  readonly username: string;
  readonly displayName: string;
  readonly extension: string;
  readonly profileId: number;
  readonly profileName: string;
  readonly connection: SipConnection;
  /** The registered Contact URI: the Request-URI of requests sent to this device. */
  readonly contactUri: string;
  /** `user@host` of the Contact, lowercase: how a reconnected phone is recognised. */
  readonly contactKey: string;
  /** Contact header parameters other than expires (e.g. +sip.instance), echoed in 200. */
  contactParams: Params;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  readonly since: Date;
  userAgent: string | null;
  readonly remoteAddress: string;
  /** A desk phone registered with its own device credentials (null: the user's own credentials). */
  readonly deviceId: number | null;
  /** The name the phone speaks as in From: its device username, else the user's. */
  readonly authUsername: string;
}

export type BindingChange = 'added' | 'removed';
export type BindingListener = (binding: Binding, change: BindingChange) => void;

/**
 * The location service: bindings keyed per connection (WebSocket Contacts are `.invalid`
 * and not routable, the connection is the route), indexed by user, with seats counted per
 * profile as distinct registered users.
 */
export class LocationService {
  readonly #byId = new Map<string, Binding>();
  readonly #byConnection = new Map<string, Map<string, Binding>>();
  readonly #byUser = new Map<number, Set<Binding>>();
  readonly #seats = new Map<number, Map<number, number>>();
  readonly #listeners = new Set<BindingListener>();

  onChange(listener: BindingListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get size(): number {
    return this.#byId.size;
  }

  get(id: string): Binding | undefined {
    return this.#byId.get(id);
  }

  all(): IterableIterator<Binding> {
    return this.#byId.values();
  }

  find(connectionId: string, userId: number, contactKey: string): Binding | undefined {
    return this.#byConnection.get(connectionId)?.get(`${userId}|${contactKey}`);
  }

  /** Live bindings of a user, every device. */
  ofUser(userId: number, now = Date.now()): Binding[] {
    const set = this.#byUser.get(userId);
    return set ? [...set].filter((b) => b.expiresAt > now && !b.connection.closed) : [];
  }

  ofConnection(connectionId: string): Binding[] {
    const map = this.#byConnection.get(connectionId);
    return map ? [...map.values()] : [];
  }

  /** Whether this user already holds a seat of the profile (another device registered). */
  holdsSeat(profileId: number, userId: number): boolean {
    return (this.#seats.get(profileId)?.get(userId) ?? 0) > 0;
  }

  seatsInUse(profileId: number): number {
    return this.#seats.get(profileId)?.size ?? 0;
  }

  add(binding: Binding): void {
    this.#byId.set(binding.id, binding);
    let perConnection = this.#byConnection.get(binding.connection.id);
    if (!perConnection) {
      perConnection = new Map();
      this.#byConnection.set(binding.connection.id, perConnection);
    }
    perConnection.set(`${binding.userId}|${binding.contactKey}`, binding);
    let perUser = this.#byUser.get(binding.userId);
    if (!perUser) {
      perUser = new Set();
      this.#byUser.set(binding.userId, perUser);
    }
    perUser.add(binding);
    let seats = this.#seats.get(binding.profileId);
    if (!seats) {
      seats = new Map();
      this.#seats.set(binding.profileId, seats);
    }
    seats.set(binding.userId, (seats.get(binding.userId) ?? 0) + 1);
    this.#emit(binding, 'added');
  }

  remove(binding: Binding): boolean {
    if (this.#byId.get(binding.id) !== binding) return false;
    this.#byId.delete(binding.id);
    const perConnection = this.#byConnection.get(binding.connection.id);
    perConnection?.delete(`${binding.userId}|${binding.contactKey}`);
    if (perConnection?.size === 0) this.#byConnection.delete(binding.connection.id);
    const perUser = this.#byUser.get(binding.userId);
    perUser?.delete(binding);
    if (perUser?.size === 0) this.#byUser.delete(binding.userId);
    const seats = this.#seats.get(binding.profileId);
    const held = (seats?.get(binding.userId) ?? 0) - 1;
    if (seats) {
      if (held > 0) seats.set(binding.userId, held);
      else seats.delete(binding.userId);
      if (seats.size === 0) this.#seats.delete(binding.profileId);
    }
    this.#emit(binding, 'removed');
    return true;
  }

  removeConnection(connectionId: string): Binding[] {
    const removed = this.ofConnection(connectionId);
    for (const binding of removed) this.remove(binding);
    return removed;
  }

  removeUser(userId: number): Binding[] {
    const removed = [...(this.#byUser.get(userId) ?? [])];
    for (const binding of removed) this.remove(binding);
    return removed;
  }

  /** Drops expired bindings; returns them. */
  sweep(now = Date.now()): Binding[] {
    const expired: Binding[] = [];
    for (const binding of this.#byId.values()) if (binding.expiresAt <= now) expired.push(binding);
    for (const binding of expired) this.remove(binding);
    return expired;
  }

  #emit(binding: Binding, change: BindingChange): void {
    for (const listener of this.#listeners) listener(binding, change);
  }
}

/** Whether the phone said in its REGISTER Contact that it can mix monitor sessions. */
export function canMix(binding: Binding): boolean {
  return binding.contactParams.has(MIX_FEATURE_TAG);
}
