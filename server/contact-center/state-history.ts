import type { Logger } from '../log';
import { insertAgentStateChanges, type NewAgentStateChange } from '../store/agent-state-changes-repository';
import type { Db } from '../store/database';
import type { AgentStateChangeNote } from './agent-states';

/**
 * Writes agent state changes to the store in the order they happened, a batch at a time (a
 * burst of sign-ins is one insert), with each user's name as it is now. `settled()` resolves
 * once everything kept so far is written, so a history read after a change sees it.
 */
export class AgentStateHistory {
  readonly #db: Db;
  readonly #usernameOf: (userId: number) => Promise<string | undefined>;
  readonly #log: Logger;
  #pending: AgentStateChangeNote[] = [];
  #writing: Promise<void> = Promise.resolve();
  #scheduled = false;

  constructor(options: { db: Db; usernameOf: (userId: number) => Promise<string | undefined>; log: Logger }) {
    this.#db = options.db;
    this.#usernameOf = options.usernameOf;
    this.#log = options.log;
  }

  keep(change: AgentStateChangeNote): void {
    this.#pending.push(change);
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#writing = this.#writing.then(() => this.#flush());
  }

  settled(): Promise<void> {
    return this.#writing;
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
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
