import type { AuditAction } from '../../contracts/audit-actions';
import { eq } from 'drizzle-orm';
import type { MonitorMode, Monitoring } from '../../contracts/calls';
import { appendAudit, type AuditActor } from '../store/audit-repository';
import { saveMonitoring } from '../store/calls-repository';
import type { DbOrTx } from '../store/database';
import { callRecords } from '../store/schema';

/** A monitor session through Kamailio, as its `kamailio_calls` row and the policy know it. */
export type KamailioMonitorSession = {
  /** The session's own Call-ID: the entry's id in the monitored call's record. */
  callId: string;
  /** The Call-ID of the call it monitors. */
  monitorsCallId: string;
  operator: AuditActor;
  agent: { username: string };
};

/** Thrown inside the transaction when a step does not apply: nothing is written. */
const unchanged = new Error('The monitor session entry is already as reported.');

/** The monitored call's record id, or null when it has none (it was never recorded). */
async function recordOf(db: DbOrTx, callId: string): Promise<number | null> {
  const [row] = await db
    .select({ id: callRecords.id })
    .from(callRecords)
    .where(eq(callRecords.callId, callId));
  return row?.id ?? null;
}

/**
 * Writes one step into the monitored call's record and the audit log in one transaction, when
 * `step` says it applies (the entry is read under the row lock, so a report that two Kamailio
 * instances or servers both deliver writes once). Answers the record's id when it wrote.
 */
async function write(
  db: DbOrTx,
  session: KamailioMonitorSession,
  action: AuditAction,
  step: (
    current: Monitoring | undefined,
  ) => { next: Monitoring; audit: { before?: unknown; after?: unknown } } | null,
): Promise<number | null> {
  const recordId = await recordOf(db, session.monitorsCallId);
  if (recordId === null) return null;
  try {
    await db.transaction(async (tx) => {
      let audit: { before?: unknown; after?: unknown } = {};
      await saveMonitoring(tx, recordId, session.callId, (current) => {
        const change = step(current);
        if (!change) throw unchanged;
        audit = change.audit;
        return change.next;
      });
      await appendAudit(tx, session.operator, { action, entity: 'call', entityId: recordId, ...audit });
    });
  } catch (error) {
    if (error === unchanged) return null;
    throw error;
  }
  return recordId;
}

/**
 * The records the built-in edge writes for a monitor session (server/sip/records/monitoring-record.ts),
 * for one placed through Kamailio: an entry in the monitored call's record when the agent's phone
 * answers, each mode change, the end; and the same audit entries.
 */
export const kamailioMonitoring = {
  answered(db: DbOrTx, session: KamailioMonitorSession, mode: MonitorMode, at = new Date()) {
    return write(db, session, 'monitor.start', (current) =>
      current
        ? null
        : {
            next: {
              id: session.callId,
              byUserId: session.operator.id,
              byUsername: session.operator.username,
              mode,
              startedAt: at.toISOString(),
              endedAt: null,
              changes: [],
            },
            audit: { after: { agent: session.agent.username, mode, session: session.callId } },
          },
    );
  },

  changed(db: DbOrTx, session: KamailioMonitorSession, mode: MonitorMode, at = new Date()) {
    return write(db, session, 'monitor.mode', (current) => {
      if (!current || current.endedAt !== null) return null;
      const before = current.changes.at(-1)?.mode ?? current.mode;
      if (before === mode) return null;
      return {
        next: { ...current, changes: [...current.changes, { mode, at: at.toISOString() }] },
        audit: {
          before: { mode: before },
          after: { agent: session.agent.username, mode, session: session.callId },
        },
      };
    });
  },

  ended(db: DbOrTx, session: KamailioMonitorSession, reason: string | null, at = new Date()) {
    return write(db, session, 'monitor.stop', (current) => {
      if (!current || current.endedAt !== null) return null;
      return {
        next: { ...current, endedAt: at.toISOString() },
        audit: {
          before: { mode: current.changes.at(-1)?.mode ?? current.mode },
          after: { agent: session.agent.username, session: session.callId, reason },
        },
      };
    });
  },
};
