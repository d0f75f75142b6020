import type { EventBus } from '../events/event-bus';
import type { Db } from '../store/database';
import { findLiveSession, hasLiveSession } from '../store/sessions-repository';

export interface SessionCacheOptions {
  db: Db;
  /** A user event drops that user's sessions here (password reset, deletion, role change). */
  events: EventBus;
  /** Longest a session is trusted without asking the database (sign-outs made elsewhere). */
  revalidateMs?: number;
  /** Most sessions kept; past it the cache starts over. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  userId: number;
  expiresAt: number;
  checkedAt: number;
}

export type LiveSession = { userId: number; expiresAt: Date };

/**
 * Web sessions by token hash, so a signed-in request costs no query: the database is asked
 * when a token is first seen and again after `revalidateMs`. Sign-out forgets the token at
 * once; any change to a user forgets their sessions, so a password reset (which deletes
 * them) or a deletion takes effect on the next request.
 */
export class SessionCache {
  readonly #db: Db;
  readonly #revalidateMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<LiveSession | undefined>>();
  readonly #unsubscribe: () => void;
  #generation = 0;

  constructor(options: SessionCacheOptions) {
    this.#db = options.db;
    this.#revalidateMs = options.revalidateMs ?? 30_000;
    this.#maxEntries = options.maxEntries ?? 100_000;
    this.#now = options.now ?? Date.now;
    this.#unsubscribe = options.events.subscribe((event) => {
      if (event.entity !== 'user') return;
      if (typeof event.id === 'number') this.forgetUser(event.id);
      else this.clear();
    });
  }

  find(tokenHash: string): Promise<LiveSession | undefined> {
    const now = this.#now();
    const entry = this.#entries.get(tokenHash);
    if (entry && entry.expiresAt > now && now - entry.checkedAt < this.#revalidateMs) {
      return Promise.resolve({ userId: entry.userId, expiresAt: new Date(entry.expiresAt) });
    }
    const pending = this.#pending.get(tokenHash);
    if (pending) return pending;
    const generation = this.#generation;
    const promise = findLiveSession(this.#db, tokenHash, new Date(now))
      .then((found) => {
        // A user change heard while the query ran makes its answer suspect: do not keep it.
        if (generation === this.#generation) {
          if (found) this.#remember(tokenHash, found.userId, found.expiresAt.getTime());
          else this.#entries.delete(tokenHash);
        }
        return found;
      })
      .finally(() => {
        if (this.#pending.get(tokenHash) === promise) this.#pending.delete(tokenHash);
      });
    this.#pending.set(tokenHash, promise);
    return promise;
  }

  /** The session's expiry moved (sliding expiry, written to the database by the caller). */
  extended(tokenHash: string, expiresAt: Date): void {
    const entry = this.#entries.get(tokenHash);
    if (entry) entry.expiresAt = expiresAt.getTime();
  }

  forget(tokenHash: string): void {
    this.#generation++;
    this.#entries.delete(tokenHash);
  }

  forgetUser(userId: number): void {
    this.#generation++;
    for (const [tokenHash, entry] of this.#entries)
      if (entry.userId === userId) this.#entries.delete(tokenHash);
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }

  /** Whether the user is signed in anywhere now: from memory when a live session is known. */
  async hasLiveSession(userId: number): Promise<boolean> {
    const now = this.#now();
    for (const entry of this.#entries.values())
      if (entry.userId === userId && entry.expiresAt > now && now - entry.checkedAt < this.#revalidateMs)
        return true;
    return hasLiveSession(this.#db, userId, new Date(now));
  }

  close(): void {
    this.#unsubscribe();
    this.clear();
  }

  #remember(tokenHash: string, userId: number, expiresAt: number): void {
    if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
    this.#entries.set(tokenHash, { userId, expiresAt, checkedAt: this.#now() });
  }
}
