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
  /** When it was registered, milliseconds since the epoch (a number: a Date per phone is an object more). */
  readonly since: number;
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
 * A connection's or a user's bindings: almost always one, held as it is, else a Set. Tens of
 * thousands of registered phones each hold one binding on one connection; a Map and a Set of
 * their own per phone were ≈ 0.4 KB of the edge's memory per phone.
 */
type OneOrMore = Binding | Set<Binding>;

function withAdded(held: OneOrMore | undefined, binding: Binding): OneOrMore {
  if (held === undefined) return binding;
  if (held instanceof Set) return held.add(binding);
  return new Set([held, binding]);
}

/** What is left once `binding` is taken out (undefined: nothing). */
function withRemoved(held: OneOrMore | undefined, binding: Binding): OneOrMore | undefined {
  if (held === binding || held === undefined) return undefined;
  if (!(held instanceof Set)) return held;
  held.delete(binding);
  if (held.size !== 1) return held.size === 0 ? undefined : held;
  const [only] = held;
  return only;
}

function listOf(held: OneOrMore | undefined): Binding[] {
  if (held === undefined) return [];
  return held instanceof Set ? [...held] : [held];
}

/**
 * The location service: bindings keyed per connection (WebSocket Contacts are `.invalid`
 * and not routable, the connection is the route), indexed by user, with seats counted per
 * profile as distinct registered users.
 */
export class LocationService {
  readonly #byId = new Map<string, Binding>();
  readonly #byConnection = new Map<string, OneOrMore>();
  readonly #byUser = new Map<number, OneOrMore>();
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

  /** The binding of this user's Contact (`user@host`, lowercase) on this connection. */
  find(connectionId: string, userId: number, contactKey: string): Binding | undefined {
    const held = this.#byConnection.get(connectionId);
    if (held === undefined) return undefined;
    if (!(held instanceof Set))
      return held.userId === userId && held.contactKey === contactKey ? held : undefined;
    for (const binding of held)
      if (binding.userId === userId && binding.contactKey === contactKey) return binding;
    return undefined;
  }

  /** Live bindings of a user, every device. */
  ofUser(userId: number, now = Date.now()): Binding[] {
    return listOf(this.#byUser.get(userId)).filter((b) => b.expiresAt > now && !b.connection.closed);
  }

  ofConnection(connectionId: string): Binding[] {
    return listOf(this.#byConnection.get(connectionId));
  }

  /** Whether this user already holds a seat of the profile (another device registered). */
  holdsSeat(profileId: number, userId: number): boolean {
    return (this.#seats.get(profileId)?.get(userId) ?? 0) > 0;
  }

  seatsInUse(profileId: number): number {
    return this.#seats.get(profileId)?.size ?? 0;
  }

  /** Adds a binding; a binding of the same user and Contact on its connection must be removed first. */
  add(binding: Binding): void {
    this.#byId.set(binding.id, binding);
    const connectionId = binding.connection.id;
    this.#byConnection.set(connectionId, withAdded(this.#byConnection.get(connectionId), binding));
    this.#byUser.set(binding.userId, withAdded(this.#byUser.get(binding.userId), binding));
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
    const connectionId = binding.connection.id;
    const onConnection = withRemoved(this.#byConnection.get(connectionId), binding);
    if (onConnection === undefined) this.#byConnection.delete(connectionId);
    else this.#byConnection.set(connectionId, onConnection);
    const ofUser = withRemoved(this.#byUser.get(binding.userId), binding);
    if (ofUser === undefined) this.#byUser.delete(binding.userId);
    else this.#byUser.set(binding.userId, ofUser);
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
    const removed = listOf(this.#byUser.get(userId));
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
