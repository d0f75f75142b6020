import type { Logger } from '../log';
import { insertAgentStateChanges, type NewAgentStateChange } from '../store/agent-state-changes-repository';
import type { Db } from '../store/database';
import type { AgentStateChangeNote } from './agent-states';

/**
 * How long a change waits before it is written: every change made meanwhile goes in the same
 * insert, so a burst of queue calls (each offer moves an agent to Ringing) costs the edge's
 * thread one query after the offers went out, not one between every two of them.
 */
export const HISTORY_WRITE_DELAY_MS = 300;

/**
 * Writes agent state changes to the store in the order they happened, a batch at a time (a
 * burst of sign-ins or offers is one insert, HISTORY_WRITE_DELAY_MS after its first change),
 * with each user's name as it is now. `settled()` writes what waits at once and resolves once
 * everything kept so far is written, so a history read after a change sees it.
 */
export class AgentStateHistory {
  readonly #db: Db;
  readonly #usernameOf: (userId: number) => Promise<string | undefined>;
  readonly #log: Logger;
  #pending: AgentStateChangeNote[] = [];
  #writing: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #writeDelayMs: number;

  constructor(options: {
    db: Db;
    usernameOf: (userId: number) => Promise<string | undefined>;
    log: Logger;
    writeDelayMs?: number;
  }) {
    this.#db = options.db;
    this.#usernameOf = options.usernameOf;
    this.#log = options.log;
    this.#writeDelayMs = options.writeDelayMs ?? HISTORY_WRITE_DELAY_MS;
  }

  keep(change: AgentStateChangeNote): void {
    this.#pending.push(change);
    if (this.#timer) return;
    this.#timer = setTimeout(() => this.#write(), this.#writeDelayMs);
    this.#timer.unref?.();
  }

  settled(): Promise<void> {
    this.#write();
    return this.#writing;
  }

  /** The server stops: what waits is written now. */
  close(): void {
    this.#write();
  }

  /** The changes kept so far go into the next write, after the ones before them. */
  #write(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#writing = this.#writing.then(() => this.#flush(batch));
  }

  async #flush(batch: AgentStateChangeNote[]): Promise<void> {
    try {
      const names = new Map<number, string>();
      for (const userId of new Set(batch.map((c) => c.userId)))
        names.set(userId, (await this.#usernameOf(userId)) ?? `user ${userId}`);
      const rows: NewAgentStateChange[] = batch.map((c) => ({
        ...c,
        username: names.get(c.userId) ?? `user ${c.userId}`,
      }));
      await insertAgentStateChanges(this.#db, rows);
    } catch (error) {
      this.#log.error(`Could not keep ${batch.length} agent state change(s) for the reports`, error);
    }
  }
}
