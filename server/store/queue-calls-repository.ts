import { and, desc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { QueueCallOutcome } from '../../contracts/queue-reports';
import type { DbOrTx } from './database';
import { callRecords, queueCalls, queues, users } from './schema';

export type QueueCallRow = typeof queueCalls.$inferSelect & { outcome: QueueCallOutcome };

export type NewQueueCall = {
  callId: string;
  queueId: number;
  enteredAt: Date;
};

/**
 * A call came into a queue: one visit, waiting, under the queue's name now. The caller comes
 * from the call record when it is already written (else `fillQueueCallCaller` later).
 */
export async function insertQueueCall(db: DbOrTx, input: NewQueueCall): Promise<number> {
  const [id] = await insertQueueCalls(db, [input]);
  if (id === undefined) throw new Error('insert returned no row');
  return id;
}

/**
 * Many visits in three queries whatever their number (a burst of callers is one insert), each
 * as `insertQueueCall` writes it, with the offers already made; the ids in the input's order.
 */
export async function insertQueueCalls(
  db: DbOrTx,
  inputs: readonly (NewQueueCall & { offers?: number })[],
): Promise<number[]> {
  if (inputs.length === 0) return [];
  const queueIds = [...new Set(inputs.map((i) => i.queueId))];
  const callIds = [...new Set(inputs.map((i) => i.callId))];
  const [names, calls] = await Promise.all([
    db.select({ id: queues.id, name: queues.name }).from(queues).where(inArray(queues.id, queueIds)),
    db
      .select({
        callId: callRecords.callId,
        number: callRecords.number,
        fromUri: callRecords.fromUri,
        fromName: callRecords.fromName,
      })
      .from(callRecords)
      .where(inArray(callRecords.callId, callIds)),
  ]);
  const nameOf = new Map(names.map((q) => [q.id, q.name]));
  const callOf = new Map(calls.map((c) => [c.callId, c]));
  const rows = await db
    .insert(queueCalls)
    .values(
      inputs.map((input) => {
        const call = callOf.get(input.callId);
        return {
          callId: input.callId,
          queueId: input.queueId,
          enteredAt: input.enteredAt,
          offers: input.offers ?? 0,
          queue: nameOf.get(input.queueId) ?? `queue ${input.queueId}`,
          caller: call?.number ?? call?.fromUri ?? '',
          callerName: call?.fromName ?? null,
        };
      }),
    )
    .returning({ id: queueCalls.id, callId: queueCalls.callId, queueId: queueCalls.queueId });
  const idOf = new Map(rows.map((r) => [`${r.queueId} ${r.callId}`, r.id]));
  return inputs.map((input) => {
    const id = idOf.get(`${input.queueId} ${input.callId}`);
    if (id === undefined) throw new Error('insert returned no row');
    return id;
  });
}

/** The caller from the call record, when the visit was opened before the record was written. */
export async function fillQueueCallCaller(db: DbOrTx, id: number): Promise<void> {
  await db.execute(sql`
    update ${queueCalls} set
      caller = coalesce(cr.number, cr.from_uri),
      caller_name = cr.from_name
    from ${callRecords} cr
    where ${queueCalls.id} = ${id} and ${queueCalls.caller} = '' and cr.call_id = ${queueCalls.callId}`);
}

/** Milliseconds from the visit's start to `at`, never below 0. */
const waitedUntil = (at: Date) =>
  sql<number>`greatest(0, round(extract(epoch from (${at.toISOString()}::timestamptz - ${queueCalls.enteredAt})) * 1000))::int`;

export async function markQueueCallOffered(db: DbOrTx, id: number): Promise<void> {
  await db
    .update(queueCalls)
    .set({ offers: sql`${queueCalls.offers} + 1` })
    .where(eq(queueCalls.id, id));
}

/** An agent answered: the wait ends; the agent's name is kept as it is now. */
export async function markQueueCallAnswered(
  db: DbOrTx,
  id: number,
  agentId: number,
  at: Date,
): Promise<void> {
  const [agent] = await db.select({ username: users.username }).from(users).where(eq(users.id, agentId));
  await db
    .update(queueCalls)
    .set({
      outcome: 'answered',
      agentId,
      agentUsername: agent?.username ?? `user ${agentId}`,
      answeredAt: at,
      waitMs: waitedUntil(at),
    })
    .where(eq(queueCalls.id, id));
}

/** The caller hung up while waiting, or the maximum wait sent the call elsewhere. */
export async function markQueueCallLeft(
  db: DbOrTx,
  id: number,
  change: { outcome: 'abandoned' | 'overflowed'; at: Date; waitMs?: number; overflowTo?: string },
): Promise<void> {
  await db
    .update(queueCalls)
    .set({
      outcome: change.outcome,
      endedAt: change.at,
      waitMs: change.waitMs === undefined ? waitedUntil(change.at) : Math.max(0, Math.round(change.waitMs)),
      overflowTo: change.overflowTo ?? null,
    })
    .where(eq(queueCalls.id, id));
}

/** The answered call ended (the agent's wrap-up starts). */
export async function markQueueCallEnded(
  db: DbOrTx,
  callId: string,
  agentId: number,
  at: Date,
): Promise<void> {
  await db
    .update(queueCalls)
    .set({ endedAt: at })
    .where(and(eq(queueCalls.callId, callId), eq(queueCalls.agentId, agentId), isNull(queueCalls.endedAt)));
}

/** The agent's wrap-up for the call ended: handle time stops here. */
export async function markWrapUpEnded(db: DbOrTx, callId: string, agentId: number, at: Date): Promise<void> {
  await db
    .update(queueCalls)
    .set({ wrapUpEndedAt: at })
    .where(
      and(eq(queueCalls.callId, callId), eq(queueCalls.agentId, agentId), isNull(queueCalls.wrapUpEndedAt)),
    );
}

/** The visit of this call the agent answered (the latest, should it have come back). */
export async function findAnsweredVisit(
  db: DbOrTx,
  callId: string,
  agentId: number,
): Promise<QueueCallRow | undefined> {
  const [row] = await db
    .select()
    .from(queueCalls)
    .where(
      and(eq(queueCalls.callId, callId), eq(queueCalls.agentId, agentId), eq(queueCalls.outcome, 'answered')),
    )
    .orderBy(desc(queueCalls.enteredAt), desc(queueCalls.id))
    .limit(1);
  return row as QueueCallRow | undefined;
}

export async function findQueueCall(db: DbOrTx, id: number): Promise<QueueCallRow | undefined> {
  const [row] = await db.select().from(queueCalls).where(eq(queueCalls.id, id));
  return row as QueueCallRow | undefined;
}

export async function setQueueCallWrapUp(
  db: DbOrTx,
  id: number,
  wrapUp: { disposition: string; note: string },
): Promise<void> {
  await db
    .update(queueCalls)
    .set({ disposition: wrapUp.disposition, note: wrapUp.note || null })
    .where(eq(queueCalls.id, id));
}

/** Queue calls each agent answered since `from` (for "calls today" after a restart). */
export async function answeredCountsSince(db: DbOrTx, from: Date): Promise<Map<number, number>> {
  const rows = await db
    .select({ agentId: queueCalls.agentId, n: sql<number>`count(*)::int` })
    .from(queueCalls)
    .where(and(eq(queueCalls.outcome, 'answered'), gte(queueCalls.answeredAt, from)))
    .groupBy(queueCalls.agentId);
  return new Map(rows.filter((r) => r.agentId !== null).map((r) => [r.agentId as number, r.n]));
}

/** Every visit that came in during the window, oldest first. */
export async function queueCallsEntered(db: DbOrTx, from: Date, to: Date): Promise<QueueCallRow[]> {
  const rows = await db
    .select()
    .from(queueCalls)
    .where(and(gte(queueCalls.enteredAt, from), lt(queueCalls.enteredAt, to)))
    .orderBy(queueCalls.enteredAt, queueCalls.id);
  return rows as QueueCallRow[];
}

/** How many queue visits the call has made (to tell "not yours" from "no such call"). */
export async function queueCallVisits(db: DbOrTx, callId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(queueCalls)
    .where(eq(queueCalls.callId, callId));
  return row?.n ?? 0;
}
