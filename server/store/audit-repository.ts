import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import type { AuditEntry, AuditListQuery } from '../../contracts/audit';
import type { AuditAction } from '../../contracts/audit-actions';
import type { DbOrTx } from './database';
import { auditLog } from './schema';

export type AuditActor = { id: number | null; username: string };

export type AuditChange = {
  action: AuditAction;
  entity: string;
  entityId: string | number | null;
  before?: unknown;
  after?: unknown;
};

/** Appends one entry. Called inside the transaction that makes the change. */
export async function appendAudit(tx: DbOrTx, actor: AuditActor, change: AuditChange): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: actor.id,
    actorUsername: actor.username,
    action: change.action,
    entity: change.entity,
    entityId: change.entityId === null ? null : String(change.entityId),
    before: change.before ?? null,
    after: change.after ?? null,
  });
}

export async function listAudit(
  db: DbOrTx,
  query: AuditListQuery,
): Promise<{ items: AuditEntry[]; total: number }> {
  const filters: SQL[] = [];
  if (query.actor) filters.push(eq(auditLog.actorUsername, query.actor));
  if (query.entity) filters.push(eq(auditLog.entity, query.entity));
  if (query.action) filters.push(eq(auditLog.action, query.action));
  const where = filters.length ? and(...filters) : undefined;
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(auditLog)
      .where(where)
      .orderBy(desc(auditLog.id))
      .limit(query.limit)
      .offset(query.offset),
    db.select({ n: count() }).from(auditLog).where(where),
  ]);
  return {
    items: rows.map((row) => ({ ...row, at: row.at.toISOString() })),
    total: totals[0]?.n ?? 0,
  };
}
