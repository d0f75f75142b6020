import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MISSED_QUEUE_CALL_REASON, type AgentState, type AgentStateName } from '../../contracts/agent-states';
import type { QueueOverflow } from '../../contracts/queues';
import type { AgentBoard } from '../../server/contact-center/agent-board';
import type { QueueCallLog, QueueConfig, QueueSource } from '../../server/contact-center/queue-ports';
import { SessionCache } from '../../server/auth/session-cache';
import { signInLimiterFor } from '../../server/auth/sign-in-limiter';
import { loadConfig, type Config } from '../../server/config';
import { Directory } from '../../server/directory/directory';
import { EventBus } from '../../server/events/event-bus';
import { createLogger } from '../../server/log';
import { createSipEdge, type SipEdge } from '../../server/sip/sip-edge';
import type { Db } from '../../server/store/database';
import { seedIfEmpty } from '../../server/store/demo-seed';
import { freshTestDatabase } from '../../server/store/test-database';

/**
 * Agent states kept in memory the way the contact center keeps them (until its store-backed
 * board is wired into the server): Ringing, On call and Wrap-up follow the engine's calls, a
 * missed offer is Not ready "Missed a queue call", wrap-up ends on its own timer, and every
 * way back to Available tells the listeners. Every change is kept for the test to read.
 */
export class MemoryAgentBoard implements AgentBoard {
  readonly #states = new Map<number, AgentState>();
  readonly #idle = new Map<number, Date>();
  readonly #answered = new Map<number, number>();
  readonly #timers = new Map<number, NodeJS.Timeout>();
  readonly #listeners = new Set<(userId: number) => void>();
  readonly changes: {
    userId: number;
    to: AgentStateName;
    reason: string | null;
    callId?: string;
    at: number;
  }[] = [];

  stateOf(userId: number): AgentState {
    return (
      this.#states.get(userId) ?? {
        userId,
        state: 'offline',
        reason: null,
        since: new Date(0).toISOString(),
        wrapUpEndsAt: null,
        wrapUpCallId: null,
      }
    );
  }

  stateNameOf(userId: number): AgentStateName {
    return this.stateOf(userId).state;
  }

  idleSince(userId: number): Date | null {
    return this.stateOf(userId).state === 'available' ? (this.#idle.get(userId) ?? null) : null;
  }

  answeredToday(userId: number): number {
    return this.#answered.get(userId) ?? 0;
  }

  /** What the agent chooses (the test's clicks); `idleSince` backdates Available. */
  set(
    userId: number,
    state: 'available' | 'not_ready',
    options: { reason?: string; idleSince?: Date } = {},
  ): void {
    this.#move(userId, state, options.reason ?? null);
    if (state === 'available') {
      this.#idle.set(userId, options.idleSince ?? new Date());
      this.#tell(userId);
    }
  }

  setAnsweredToday(userId: number, count: number): void {
    this.#answered.set(userId, count);
  }

  offered(userId: number, callId: string): void {
    this.#move(userId, 'ringing', null, callId);
  }

  answered(userId: number, callId: string): void {
    this.#answered.set(userId, this.answeredToday(userId) + 1);
    this.#move(userId, 'on_call', null, callId);
  }

  missed(userId: number, callId: string): void {
    this.#move(userId, 'not_ready', MISSED_QUEUE_CALL_REASON, callId);
  }

  withdrawn(userId: number, callId: string): void {
    if (this.stateOf(userId).state !== 'ringing') return;
    this.#move(userId, 'available', null, callId);
    this.#tell(userId);
  }

  ended(userId: number, callId: string, wrapUpSeconds: number): void {
    if (wrapUpSeconds <= 0) {
      this.#available(userId, callId);
      return;
    }
    this.#move(userId, 'wrap_up', null, callId, new Date(Date.now() + wrapUpSeconds * 1000));
    this.#timers.set(
      userId,
      setTimeout(() => this.#available(userId, callId), wrapUpSeconds * 1000),
    );
  }

  onAvailable(listener: (userId: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The changes of one user, oldest first, as `state` or `state: reason`. */
  historyOf(userId: number): string[] {
    return this.changes
      .filter((c) => c.userId === userId)
      .map((c) => (c.reason ? `${c.to}: ${c.reason}` : c.to));
  }

  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#listeners.clear();
  }

  #available(userId: number, callId: string): void {
    this.#timers.delete(userId);
    this.#move(userId, 'available', null, callId);
    this.#idle.set(userId, new Date());
    this.#tell(userId);
  }

  #move(
    userId: number,
    state: AgentStateName,
    reason: string | null,
    callId?: string,
    wrapUpEndsAt?: Date,
  ): void {
    const timer = this.#timers.get(userId);
    if (timer && state !== 'wrap_up') clearTimeout(timer);
    this.#states.set(userId, {
      userId,
      state,
      reason,
      since: new Date().toISOString(),
      wrapUpEndsAt: wrapUpEndsAt?.toISOString() ?? null,
      wrapUpCallId: state === 'wrap_up' ? (callId ?? null) : null,
    });
    this.changes.push({ userId, to: state, reason, at: Date.now(), ...(callId ? { callId } : {}) });
  }

  #tell(userId: number): void {
    for (const listener of this.#listeners) listener(userId);
  }
}

/** Queues in memory, members given as users already (what the store's source expands groups to). */
export class MemoryQueues implements QueueSource {
  readonly #byId = new Map<number, QueueConfig>();
  #nextId = 1;

  add(fields: Partial<QueueConfig> & { extension: string; agents: QueueConfig['agents'] }): QueueConfig {
    const id = this.#nextId++;
    const queue: QueueConfig = {
      id,
      name: `queue_${id}`,
      strategy: 'longest_idle',
      members: fields.agents.map((a) => ({ kind: 'user', userId: a.userId, priority: a.priority })),
      ringSeconds: 1,
      maxWaitSeconds: 10,
      overflow: { kind: 'refuse', reason: 'Nobody can take your call now' },
      wrapUpSeconds: 0,
      serviceLevelSeconds: 20,
      ...fields,
    };
    this.#byId.set(id, queue);
    return queue;
  }

  byExtension(extension: string): QueueConfig | null {
    for (const queue of this.#byId.values()) if (queue.extension === extension) return queue;
    return null;
  }

  byId(id: number): QueueConfig | null {
    return this.#byId.get(id) ?? null;
  }
}

export type LogEntry =
  | { kind: 'queued'; callId: string; queueId: number }
  | { kind: 'answered'; callId: string; queueId: number; userId: number; waitMs: number }
  | { kind: 'abandoned'; callId: string; queueId: number; waitMs: number }
  | { kind: 'overflowed'; callId: string; queueId: number; waitMs: number; to: QueueOverflow };

/** The queue call log as a list the test reads. */
export class MemoryCallLog implements QueueCallLog {
  readonly entries: LogEntry[] = [];

  queued(callId: string, queueId: number): void {
    this.entries.push({ kind: 'queued', callId, queueId });
  }

  answered(callId: string, queueId: number, userId: number, waitMs: number): void {
    this.entries.push({ kind: 'answered', callId, queueId, userId, waitMs });
  }

  abandoned(callId: string, queueId: number, waitMs: number): void {
    this.entries.push({ kind: 'abandoned', callId, queueId, waitMs });
  }

  overflowed(callId: string, queueId: number, waitMs: number, to: QueueOverflow): void {
    this.entries.push({ kind: 'overflowed', callId, queueId, waitMs, to });
  }

  of(callId: string): LogEntry[] {
    return this.entries.filter((e) => e.callId === callId);
  }
}

export interface QueueTestServer {
  config: Config;
  db: Db;
  edge: SipEdge;
  wsUrl: string;
  passwords: Map<string, string>;
  /** The demo users' ids, by username. */
  userIds: Map<string, number>;
  board: MemoryAgentBoard;
  queues: MemoryQueues;
  log: MemoryCallLog;
  stop(): Promise<void>;
}

/**
 * The real SIP edge (WebSocket on an HTTP server, the server's Directory and sessions) on a
 * fresh seeded database, with the queue engine's ports in memory.
 */
export async function startQueueServer(overrides: Partial<Config> = {}): Promise<QueueTestServer> {
  const database = await freshTestDatabase();
  const config: Config = {
    ...loadConfig({ LOG_LEVEL: 'error', HOST: '127.0.0.1', SIP_UDP_PORT: '0', SIP_TCP_PORT: '0' }),
    sipUdpPort: null,
    sipTcpPort: null,
    ...overrides,
  };
  const logins = await seedIfEmpty(database.db, { demo: true, sipRealm: config.sipDomain });
  const log = createLogger(config.logLevel);
  const events = new EventBus();
  const directory = new Directory({ db: database.db, events, log });
  const sessions = new SessionCache({ db: database.db, events });
  const board = new MemoryAgentBoard();
  const queues = new MemoryQueues();
  const callLog = new MemoryCallLog();
  const edge = createSipEdge({
    config,
    db: database.db,
    log,
    events,
    limiter: signInLimiterFor(config),
    accounts: directory,
    sessions,
    queues: { source: queues, board, log: callLog },
  });
  const server: Server = createServer((_request, response) => response.writeHead(404).end());
  server.on('upgrade', (request, socket, head) => edge.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const userIds = new Map<string, number>();
  for (const login of logins) {
    const account = await directory.byUsername(login.username);
    if (account) userIds.set(login.username, account.userId);
  }
  return {
    config,
    db: database.db,
    edge,
    wsUrl: `ws://127.0.0.1:${port}/sip`,
    passwords: new Map(logins.map((l) => [l.username, l.password])),
    userIds,
    board,
    queues,
    log: callLog,
    async stop() {
      board.close();
      await edge.close();
      directory.close();
      sessions.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
}
