import type { Directory } from '../directory/directory';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../log';
import type { SipControl } from '../sip/sip-control';
import type { Db } from '../store/database';
import { answeredCountsSince } from '../store/queue-calls-repository';
import { listReasonCodes } from '../store/reason-codes-repository';
import { AgentStates } from './agent-states';
import { startOfToday } from './days';
import { StoreQueueCallLog } from './queue-call-log';
import type { QueueLive } from './queue-ports';
import { StoreQueueSource } from './queue-source';
import { AgentStateHistory } from './state-history';

/**
 * The contact center's server side: agent states (the queue engine's AgentBoard), their
 * history, the queue call log and the queues in memory. `ports` is what the SIP edge's queue
 * engine takes (`createSipEdge({ queues: contactCenter.ports })`).
 */
export type ContactCenter = {
  agents: AgentStates;
  history: AgentStateHistory;
  callLog: StoreQueueCallLog;
  source: StoreQueueSource;
  ports: { source: StoreQueueSource; board: AgentStates; log: StoreQueueCallLog };
  /** Callers waiting now, from the queue engine (none without one). */
  live: QueueLive;
  /** Resolves once today's counts, the reason codes and the queues are loaded. */
  ready: Promise<void>;
  /** Resolves when every state change and queue call write asked for so far is stored. */
  settled(): Promise<void>;
  close(): void;
};

/**
 * Builds it on the store and the server's events: `registration` events settle agents against
 * their phones, `reason_code` events reload the sign-in reason. `phones` and `live` are read
 * when needed, so the SIP edge (which takes `ports`) may be built after this.
 */
export function createContactCenter(options: {
  db: Db;
  events: EventBus;
  directory: Directory;
  log: Logger;
  phones: () => Pick<SipControl, 'phonesOf' | 'listSeats'>;
  /** The queue engine's callers waiting, once there is one. */
  live?: () => QueueLive | null | undefined;
}): ContactCenter {
  const { db, events, log } = options;
  const publish = events.publish.bind(events);
  const history = new AgentStateHistory({
    db,
    log,
    usernameOf: async (userId) => (await options.directory.byId(userId))?.username,
  });
  const callLog = new StoreQueueCallLog({ db, log, publish });
  const agents = new AgentStates({
    phones: options.phones,
    publish,
    keep: (change) => history.keep(change),
    queueCallMoved: (move) => callLog.moved(move),
  });
  const source = new StoreQueueSource({ db, events, log });

  const loadReasonCodes = () =>
    listReasonCodes(db)
      .then((codes) => agents.reasonCodesChanged(codes))
      .catch((error: unknown) => log.error('Could not load the reason codes', error));
  const unsubscribe = events.subscribe((event) => {
    if (event.entity === 'registration' && typeof event.id === 'string') agents.registrationChanged(event.id);
    else if (event.entity === 'reason_code') void loadReasonCodes();
  });
  const ready = Promise.all([
    loadReasonCodes(),
    source.settled(),
    answeredCountsSince(db, startOfToday())
      .then((counts) => agents.loadAnsweredToday(counts))
      .catch((error: unknown) => log.error("Could not load today's answered queue calls", error)),
  ]).then(() => undefined);

  return {
    agents,
    history,
    callLog,
    source,
    ports: { source, board: agents, log: callLog },
    live: {
      waiting: (queueId) => options.live?.()?.waiting(queueId) ?? { count: 0, longestWaitSeconds: 0 },
    },
    ready,
    async settled() {
      await callLog.settled();
      await history.settled();
    },
    close() {
      unsubscribe();
      agents.close();
      source.close();
      // Changes and visits still gathered for their batch are written now.
      history.close();
      callLog.close();
    },
  };
}
