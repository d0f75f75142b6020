import type { EventBus } from '../../events/event-bus';
import type { Db } from '../../store/database';
import { findSipAccount, type SipAccount } from '../../store/sip-accounts-repository';

export interface AccountCacheOptions {
  db: Db;
  /** Changes made through the API arrive here (user/profile events) and empty the cache. */
  events: EventBus;
  /** Longest an entry is trusted without an event (changes made outside this process). */
  ttlMs?: number;
  /** Most entries kept; a flood of unknown names cannot grow memory without bound. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  value: SipAccount | null;
  at: number;
}

/**
 * SIP accounts by username or extension, read from the database and kept briefly, so a
 * REGISTER burst does not become a query burst. Any user or profile change published on
 * the event bus empties the cache: a change takes effect on the next request.
 */
export class AccountCache {
  readonly #db: Db;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<SipAccount | null>>();
  readonly #unsubscribe: () => void;
  #generation = 0;

  constructor(options: AccountCacheOptions) {
    this.#db = options.db;
    this.#ttlMs = options.ttlMs ?? 2000;
    this.#maxEntries = options.maxEntries ?? 50_000;
    this.#now = options.now ?? Date.now;
    this.#unsubscribe = options.events.subscribe((event) => {
      if (event.entity === 'user' || event.entity === 'profile') this.clear();
    });
  }

  byUsername(username: string): Promise<SipAccount | null> {
    return this.#get(`u:${username}`, () => findSipAccount(this.#db, { username }));
  }

  byExtension(extension: string): Promise<SipAccount | null> {
    return this.#get(`e:${extension}`, () => findSipAccount(this.#db, { extension }));
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
    this.#pending.clear();
  }

  close(): void {
    this.#unsubscribe();
    this.clear();
  }

  #get(key: string, load: () => Promise<SipAccount | undefined>): Promise<SipAccount | null> {
    const entry = this.#entries.get(key);
    if (entry && this.#now() - entry.at < this.#ttlMs) return Promise.resolve(entry.value);
    const pending = this.#pending.get(key);
    if (pending) return pending;
    const generation = this.#generation;
    const promise = load()
      .then((found) => {
        const value = found ?? null;
        // A change published while the query ran makes its answer suspect: do not keep it.
        if (generation === this.#generation) {
          if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
          this.#entries.set(key, { value, at: this.#now() });
        }
        return value;
      })
      .finally(() => {
        if (this.#pending.get(key) === promise) this.#pending.delete(key);
      });
    this.#pending.set(key, promise);
    return promise;
  }
}
