import type { Directory } from '../directory/directory';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../log';
import type { SipControl } from '../sip/sip-control';
import type { Db } from '../store/database';
import { answeredCountsSince, markWrapUpEnded } from '../store/queue-calls-repository';
import { listReasonCodes } from '../store/reason-codes-repository';
import { AgentStates } from './agent-states';
import { startOfToday } from './days';
import { StoreQueueCallLog } from './queue-call-log';
import { noQueueLive, type QueueLive } from './queue-live';
import { AgentStateHistory } from './state-history';

/** The contact center's server side: agent states (the queue engine's AgentBoard), their history, the queue call log. */
export type ContactCenter = {
  agents: AgentStates;
  history: AgentStateHistory;
  callLog: StoreQueueCallLog;
  /** Callers waiting now, from the queue engine (none without one). */
  live: QueueLive;
  /** Resolves once today's counts and the reason codes are loaded. */
  ready: Promise<void>;
  /** Resolves when every state change and queue call write asked for so far is stored. */
  settled(): Promise<void>;
  close(): void;
};

/**
 * Builds it on the store and the server's events: `registration` events settle agents against
 * their phones, `reason_code` events reload the sign-in reason. `phones` is read when needed,
 * so the SIP edge may be built after this (it takes `agents` and `callLog`).
 */
export function createContactCenter(options: {
  db: Db;
  events: EventBus;
  directory: Directory;
  log: Logger;
  phones: () => Pick<SipControl, 'phonesOf' | 'listSeats'>;
  live?: QueueLive;
}): ContactCenter {
  const { db, events, log } = options;
  const history = new AgentStateHistory({
    db,
    log,
    usernameOf: async (userId) => (await options.directory.byId(userId))?.username,
  });
  const writes = new Set<Promise<unknown>>();
  const track = (promise: Promise<unknown>) => {
    writes.add(promise);
    void promise.finally(() => writes.delete(promise));
  };
  const agents = new AgentStates({
    phones: options.phones,
    publish: (event) => events.publish(event),
    keep: (change) => history.keep(change),
    wrapUpEnded: (userId, callId, at) =>
      track(
        markWrapUpEnded(db, callId, userId, at).catch((error: unknown) =>
          log.error(`Could not record the end of wrap-up for call ${callId}`, error),
        ),
      ),
  });
  const callLog = new StoreQueueCallLog({ db, log, publish: (event) => events.publish(event) });

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
    answeredCountsSince(db, startOfToday())
      .then((counts) => agents.loadAnsweredToday(counts))
      .catch((error: unknown) => log.error("Could not load today's answered queue calls", error)),
  ]).then(() => undefined);

  return {
    agents,
    history,
    callLog,
    live: options.live ?? noQueueLive,
    ready,
    async settled() {
      await callLog.settled();
      while (writes.size) await Promise.all([...writes]);
      await history.settled();
    },
    close() {
      unsubscribe();
      agents.close();
    },
  };
}
