import { and, count, desc, eq, gte, lte, or, type SQL } from 'drizzle-orm';
import type { CallDirection, CallListQuery, Disposition, Monitoring } from '../../contracts/calls';
import type { DbOrTx } from './database';
import { callRecords } from './schema';

export type CallRow = typeof callRecords.$inferSelect & {
  disposition: Disposition | null;
  monitoring: Monitoring[];
};

export type CallFilter = Omit<CallListQuery, 'offset' | 'limit'> & {
  /** Restricts the list to calls this user took part in. */
  participantId?: number;
};

function whereOf(filter: CallFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  const involving = (id: number) => or(eq(callRecords.fromUserId, id), eq(callRecords.toUserId, id));
  if (filter.participantId !== undefined) parts.push(involving(filter.participantId));
  if (filter.userId !== undefined) parts.push(involving(filter.userId));
  if (filter.profileId !== undefined)
    parts.push(
      or(
        eq(callRecords.callerProfileId, filter.profileId),
        eq(callRecords.calleeProfileId, filter.profileId),
      ),
    );
  if (filter.disposition) parts.push(eq(callRecords.disposition, filter.disposition));
  if (filter.direction) parts.push(eq(callRecords.direction, filter.direction));
  if (filter.from) parts.push(gte(callRecords.startedAt, new Date(filter.from)));
  if (filter.to) parts.push(lte(callRecords.startedAt, new Date(filter.to)));
  const defined = parts.filter((p): p is SQL => p !== undefined);
  return defined.length ? and(...defined) : undefined;
}

export async function listCalls(
  db: DbOrTx,
  filter: CallFilter,
  page: { offset: number; limit: number },
): Promise<{ items: CallRow[]; total: number }> {
  const where = whereOf(filter);
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(callRecords)
      .where(where)
      .orderBy(desc(callRecords.startedAt), desc(callRecords.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ n: count() }).from(callRecords).where(where),
  ]);
  return { items: rows as CallRow[], total: totals[0]?.n ?? 0 };
}

/** Streams every matching record in pages, newest first, for CSV export. */
export async function* eachCall(db: DbOrTx, filter: CallFilter, pageSize = 1000): AsyncGenerator<CallRow> {
  for (let offset = 0; ; offset += pageSize) {
    const { items } = await listCalls(db, filter, { offset, limit: pageSize });
    yield* items;
    if (items.length < pageSize) return;
  }
}

export type NewCall = {
  callId: string;
  fromUri: string;
  fromName: string | null;
  fromUserId: number | null;
  toUri: string;
  toName: string | null;
  toUserId: number | null;
  callerProfileId: number | null;
  callerProfile: string | null;
  calleeProfileId: number | null;
  calleeProfile: string | null;
  startedAt?: Date;
  /** `internal` when omitted; `outbound`/`inbound` for a call over a trunk. */
  direction?: CallDirection;
  /** The customer's E.164 number on a trunk call. */
  number?: string | null;
  /** The trunk's name on a trunk call. */
  trunk?: string | null;
};

export async function insertCall(db: DbOrTx, call: NewCall): Promise<number> {
  const [row] = await db.insert(callRecords).values(call).returning({ id: callRecords.id });
  if (!row) throw new Error('insert returned no row');
  return row.id;
}

/**
 * Many new calls in one insert (a burst of callers is one query); their ids by Call-ID. The
 * insert is all or nothing: a Call-ID already recorded fails the whole batch.
 */
export async function insertCalls(db: DbOrTx, calls: readonly NewCall[]): Promise<Map<string, number>> {
  if (calls.length === 0) return new Map();
  const rows = await db
    .insert(callRecords)
    .values([...calls])
    .returning({ id: callRecords.id, callId: callRecords.callId });
  return new Map(rows.map((row) => [row.callId, row.id]));
}

export async function markCallAnswered(db: DbOrTx, id: number, at = new Date()): Promise<void> {
  await db.update(callRecords).set({ answeredAt: at }).where(eq(callRecords.id, id));
}

/** The trunk a trunk call went out on, once known (a failover moves it to the next trunk). */
export async function setCallTrunk(db: DbOrTx, id: number, trunk: string): Promise<void> {
  await db.update(callRecords).set({ trunk }).where(eq(callRecords.id, id));
}

/** Who answers the call now (a bridged call transferred to another agent keeps its record). */
export async function setCallAnswerer(
  db: DbOrTx,
  id: number,
  answerer: {
    toUserId: number;
    toName: string;
    calleeProfileId: number | null;
    calleeProfile: string | null;
  },
): Promise<void> {
  await db.update(callRecords).set(answerer).where(eq(callRecords.id, id));
}

export async function finishCall(
  db: DbOrTx,
  id: number,
  disposition: Disposition,
  reason: string | null,
  at = new Date(),
): Promise<void> {
  await db.update(callRecords).set({ endedAt: at, disposition, reason }).where(eq(callRecords.id, id));
}

/**
 * Adds or updates one monitor session in a call's `monitoring` list (by its id), in the
 * caller's transaction; the row is locked so concurrent updates of one call do not lose any.
 */
export async function saveMonitoring(
  db: DbOrTx,
  callRecordId: number,
  id: string,
  update: (current: Monitoring | undefined) => Monitoring,
): Promise<Monitoring | undefined> {
  const [row] = await db
    .select({ monitoring: callRecords.monitoring })
    .from(callRecords)
    .where(eq(callRecords.id, callRecordId))
    .for('update');
  if (!row) return undefined;
  const list = row.monitoring as Monitoring[];
  const index = list.findIndex((entry) => entry.id === id);
  const next = update(index === -1 ? undefined : list[index]);
  const monitoring = index === -1 ? [...list, next] : list.map((entry, i) => (i === index ? next : entry));
  await db.update(callRecords).set({ monitoring }).where(eq(callRecords.id, callRecordId));
  return next;
}
