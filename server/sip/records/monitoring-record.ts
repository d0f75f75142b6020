import type { AuditAction } from '../../../contracts/audit-actions';
import { randomUUID } from 'node:crypto';
import type { MonitorMode, Monitoring } from '../../../contracts/calls';
import type { EventBus } from '../../events/event-bus';
import { appendAudit, type AuditActor } from '../../store/audit-repository';
import { saveMonitoring } from '../../store/calls-repository';
import type { Db } from '../../store/database';
import type { CallRecordHandle } from './call-recorder';

/** A monitor session's record: an entry in the monitored call's record, and audit entries. */
export interface MonitoringHandle extends CallRecordHandle {
  /** The mode changed (after the agent's phone accepted it). */
  changed(mode: MonitorMode, at?: Date): void;
}

export interface MonitoringRecordOptions {
  db: Db;
  events: EventBus;
  /** The monitored call's record: the entry is written there, in order with its other writes. */
  target: CallRecordHandle;
  operator: AuditActor;
  agent: { userId: number; username: string };
  mode: MonitorMode;
}

/**
 * Starts writing when the agent's phone answers (a refused or unanswered attempt leaves the call
 * record alone), then each mode change and the end; every step also goes to the audit log, in the
 * same transaction as the record's update.
 */
export function monitoringRecord(options: MonitoringRecordOptions): MonitoringHandle {
  const { db, events, target, operator, agent } = options;
  const id = randomUUID();
  let mode = options.mode;
  let started = false;
  let finished = false;

  const write = (
    action: AuditAction,
    update: (current: Monitoring | undefined) => Monitoring,
    audit: { before?: unknown; after?: unknown },
  ) =>
    target.after(async (recordId) => {
      await db.transaction(async (tx) => {
        await saveMonitoring(tx, recordId, id, update);
        await appendAudit(tx, operator, {
          action,
          entity: 'call',
          entityId: recordId,
          ...audit,
        });
      });
      events.publish({ entity: 'audit', id: null });
    });

  return {
    id: target.id,
    after: (work) => target.after(work),
    answered(at = new Date()) {
      if (started || finished) return;
      started = true;
      const startMode = mode;
      write(
        'monitor.start',
        () => ({
          id,
          byUserId: operator.id,
          byUsername: operator.username,
          mode: startMode,
          startedAt: at.toISOString(),
          endedAt: null,
          changes: [],
        }),
        { after: { agent: agent.username, mode: startMode, session: id } },
      );
    },
    changed(next, at = new Date()) {
      if (!started || finished || next === mode) return;
      const before = mode;
      mode = next;
      write(
        'monitor.mode',
        (current) => {
          if (!current) throw new Error(`monitor session ${id} is missing from its call record`);
          return { ...current, changes: [...current.changes, { mode: next, at: at.toISOString() }] };
        },
        { before: { mode: before }, after: { agent: agent.username, mode: next, session: id } },
      );
    },
    finish(_disposition, reason, at = new Date()) {
      if (finished) return;
      finished = true;
      if (!started) return;
      write(
        'monitor.stop',
        (current) => {
          if (!current) throw new Error(`monitor session ${id} is missing from its call record`);
          return { ...current, endedAt: at.toISOString() };
        },
        { before: { mode }, after: { agent: agent.username, session: id, reason } },
      );
    },
  };
}
