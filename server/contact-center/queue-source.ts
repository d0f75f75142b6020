import type { LiveEvent } from '../../contracts/events';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../log';
import type { Db } from '../store/database';
import { listQueues, queueAgentPriorities } from '../store/queues-repository';
import type { QueueConfig, QueueSource } from './queue-ports';

/** Events that may change a queue or whom it reaches (a member renamed, deleted, or joining a group). */
const relevant = new Set<LiveEvent['entity']>(['queue', 'user', 'group']);

/**
 * The queues in memory for the queue engine, members expanded to users: loaded at start and
 * again after each `queue`, `user` or `group` event (changes arriving during a load make one
 * more load), so an INVITE to a queue's extension is routed without a query.
 */
export class StoreQueueSource implements QueueSource {
  readonly #db: Db;
  readonly #log: Logger;
  #byId = new Map<number, QueueConfig>();
  #byExtension = new Map<string, QueueConfig>();
  #loading: Promise<void> | null = null;
  #again = false;
  readonly #unsubscribe: () => void;

  constructor(options: { db: Db; events: EventBus; log: Logger }) {
    this.#db = options.db;
    this.#log = options.log;
    this.#unsubscribe = options.events.subscribe((event) => {
      if (relevant.has(event.entity)) void this.reload();
    });
    void this.reload();
  }

  byExtension(extension: string): QueueConfig | null {
    return this.#byExtension.get(extension) ?? null;
  }

  byId(id: number): QueueConfig | null {
    return this.#byId.get(id) ?? null;
  }

  /** Whether the user is offered calls of any queue (a member as a user or through a group). */
  hasMember(userId: number): boolean {
    for (const queue of this.#byId.values()) if (queue.agents.some((a) => a.userId === userId)) return true;
    return false;
  }

  /** Resolves once every change heard so far is loaded. */
  settled(): Promise<void> {
    return this.#loading ?? Promise.resolve();
  }

  reload(): Promise<void> {
    if (this.#loading) {
      this.#again = true;
      return this.#loading;
    }
    this.#loading = (async () => {
      do {
        this.#again = false;
        try {
          await this.#load();
        } catch (error) {
          this.#log.error('Could not load the queues; calls to them use the last ones loaded', error);
        }
      } while (this.#again);
      this.#loading = null;
    })();
    return this.#loading;
  }

  close(): void {
    this.#unsubscribe();
  }

  async #load(): Promise<void> {
    const [queues, agents] = await Promise.all([listQueues(this.#db), queueAgentPriorities(this.#db)]);
    const byId = new Map<number, QueueConfig>();
    const byExtension = new Map<string, QueueConfig>();
    for (const q of queues) {
      const config: QueueConfig = {
        id: q.id,
        name: q.name,
        extension: q.extension,
        strategy: q.strategy,
        agents: agents.get(q.id) ?? [],
        members: q.members.map((m) =>
          m.kind === 'user'
            ? { kind: 'user', userId: m.userId, priority: m.priority }
            : { kind: 'group', groupId: m.groupId, priority: m.priority },
        ),
        ringSeconds: q.ringSeconds,
        maxWaitSeconds: q.maxWaitSeconds,
        overflow: q.overflow,
        wrapUpSeconds: q.wrapUpSeconds,
        serviceLevelSeconds: q.serviceLevelSeconds,
      };
      byId.set(q.id, config);
      byExtension.set(q.extension, config);
    }
    this.#byId = byId;
    this.#byExtension = byExtension;
  }
}
