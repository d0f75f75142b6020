import type { LiveEvent } from '../../contracts/events';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../log';
import type { NumberSource } from '../sip/trunks/trunk-config';
import type { Db } from '../store/database';
import { loadNumberTargets, type NumberTarget } from '../store/numbers-repository';

export interface NumberDirectoryOptions {
  db: Db;
  /** `number` events reload the numbers, as do user, group and queue events touching an assigned one. */
  events: EventBus;
  log?: Logger;
  /** A full reload this often, for changes made outside this process. 0 turns it off. */
  refreshMs?: number;
}

/**
 * The E.164 numbers the carriers route to us and whom each rings, in memory, so a carrier's
 * INVITE is routed without a query. Loaded at start and again after every `number` event, and
 * after a user, group or queue event that may have emptied an assignment (deleting one leaves
 * its numbers assigned to nobody); a lookup made while a reload runs waits for it.
 */
export class NumberDirectory implements NumberSource {
  readonly #db: Db;
  readonly #log: Logger | undefined;
  #targets = new Map<string, NumberTarget>();
  #dirty = true;
  #running: Promise<void> | null = null;
  #closed = false;
  readonly #unsubscribe: () => void;
  readonly #refresh: ReturnType<typeof setInterval> | null;

  constructor(options: NumberDirectoryOptions) {
    this.#db = options.db;
    this.#log = options.log;
    this.#unsubscribe = options.events.subscribe((event) => this.#heard(event));
    const refreshMs = options.refreshMs ?? 30_000;
    this.#refresh = refreshMs > 0 ? setInterval(() => this.#mark(), refreshMs) : null;
    this.#refresh?.unref();
    this.#running = this.#drain();
  }

  async assignmentOf(e164: string): Promise<NumberTarget | null> {
    if (this.#running) await this.#running;
    return this.#targets.get(e164) ?? null;
  }

  /** Resolves when every change heard so far has been loaded. */
  settled(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  /** How many numbers are assigned to someone. */
  get size(): number {
    return this.#targets.size;
  }

  close(): void {
    this.#closed = true;
    this.#unsubscribe();
    if (this.#refresh) clearInterval(this.#refresh);
  }

  #heard(event: LiveEvent): void {
    if (event.entity === 'number') this.#mark();
    else if (event.entity === 'user' || event.entity === 'group' || event.entity === 'queue') {
      if (event.id === null || this.#assigns(event.entity, event.id)) this.#mark();
    }
  }

  #assigns(entity: 'user' | 'group' | 'queue', id: number | string): boolean {
    for (const target of this.#targets.values()) {
      const assigned =
        target.kind === 'user' ? target.userId : target.kind === 'group' ? target.groupId : target.queueId;
      if (target.kind === entity && assigned === id) return true;
    }
    return false;
  }

  #mark(): void {
    if (this.#closed) return;
    this.#dirty = true;
    this.#running ??= this.#drain();
  }

  async #drain(): Promise<void> {
    try {
      while (this.#dirty && !this.#closed) {
        this.#dirty = false;
        try {
          this.#targets = await loadNumberTargets(this.#db);
        } catch (error) {
          // The copy stays as it was; the next change or refresh tries again.
          if (!this.#closed) this.#log?.warn('numbers: could not reload the phone numbers', error);
          break;
        }
      }
    } finally {
      this.#running = null;
    }
  }
}
