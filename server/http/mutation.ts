import type { LiveEvent } from '../../contracts/events';
import { appendAudit, type AuditActor, type AuditChange } from '../store/audit-repository';
import type { Tx } from '../store/database';
import type { Deps } from './app-env';
import { conflict, uniqueViolation } from './http-error';

/**
 * Runs a change and its audit entry in one transaction, then tells the live streams.
 * A unique violation that slipped past the handler's own checks (a race) becomes a 409.
 */
export async function mutate<T>(
  deps: Deps,
  actor: AuditActor,
  work: (
    tx: Tx,
    audit: (change: AuditChange) => Promise<void>,
  ) => Promise<{ result: T; events: LiveEvent[] }>,
): Promise<T> {
  let outcome: { result: T; events: LiveEvent[] };
  try {
    outcome = await deps.db.transaction((tx) => work(tx, (change) => appendAudit(tx, actor, change)));
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint) throw conflict('That name or number was taken a moment ago; choose another.');
    throw error;
  }
  deps.events.publish(...outcome.events, { entity: 'audit', id: null });
  return outcome.result;
}
