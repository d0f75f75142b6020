import { and, asc, count, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { AgentStateName } from '../../contracts/agent-states';
import type { DbOrTx } from './database';
import { agentStateChanges } from './schema';

export type NewAgentStateChange = {
  userId: number;
  username: string;
  from: AgentStateName;
  to: AgentStateName;
  reason: string | null;
  at: Date;
};

export type AgentStateChangeRow = NewAgentStateChange & { id: number; userId: number | null };

export async function insertAgentStateChanges(db: DbOrTx, changes: NewAgentStateChange[]): Promise<void> {
  if (changes.length === 0) return;
  await db.insert(agentStateChanges).values(
    changes.map((c) => ({
      userId: c.userId,
      username: c.username,
      fromState: c.from,
      toState: c.to,
      reason: c.reason,
      at: c.at,
    })),
  );
}

export type AgentStateChangeFilter = {
  userId?: number;
  /** Only these users (an operator's barge group); empty: nobody. */
  userIds?: number[];
  from?: Date;
  to?: Date;
};

function whereOf(filter: AgentStateChangeFilter): SQL | undefined {
  const parts: SQL[] = [];
  if (filter.userId !== undefined) parts.push(eq(agentStateChanges.userId, filter.userId));
  if (filter.userIds)
    parts.push(filter.userIds.length ? inArray(agentStateChanges.userId, filter.userIds) : sql`false`);
  if (filter.from) parts.push(gte(agentStateChanges.at, filter.from));
  if (filter.to) parts.push(lt(agentStateChanges.at, filter.to));
  return parts.length ? and(...parts) : undefined;
}

const columns = {
  id: agentStateChanges.id,
  userId: agentStateChanges.userId,
  username: agentStateChanges.username,
  from: agentStateChanges.fromState,
  to: agentStateChanges.toState,
  reason: agentStateChanges.reason,
  at: agentStateChanges.at,
};

/**
 * The same user's next change after this one (any day): when the state in `to` ended. Written
 * out: inside a one-table select drizzle leaves the outer columns unqualified.
 */
const until = sql<Date | string | null>`(
  select min(n.at) from agent_state_changes n
  where n.user_id = agent_state_changes.user_id
    and (n.at, n.id) > (agent_state_changes.at, agent_state_changes.id))`;

/** A page of changes, newest first, each with when its state ended (`until`; null: it goes on). */
export async function listAgentStateChanges(
  db: DbOrTx,
  filter: AgentStateChangeFilter,
  page: { offset: number; limit: number },
): Promise<{ items: (AgentStateChangeRow & { until: Date | null })[]; total: number }> {
  const where = whereOf(filter);
  const [rows, totals] = await Promise.all([
    db
      .select({ ...columns, until })
      .from(agentStateChanges)
      .where(where)
      .orderBy(desc(agentStateChanges.at), desc(agentStateChanges.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ n: count() }).from(agentStateChanges).where(where),
  ]);
  const items = rows.map(({ until: end, ...row }) => ({
    ...(row as AgentStateChangeRow),
    until: end === null ? null : new Date(end),
  }));
  return { items, total: totals[0]?.n ?? 0 };
}

/** Every change in the window, oldest first, with each user's last change before it (their state at the start). */
export async function agentStateChangesAround(
  db: DbOrTx,
  from: Date,
  to: Date,
): Promise<{ before: AgentStateChangeRow[]; during: AgentStateChangeRow[] }> {
  const [before, during] = await Promise.all([
    db
      .selectDistinctOn([agentStateChanges.userId], columns)
      .from(agentStateChanges)
      .where(lt(agentStateChanges.at, from))
      .orderBy(agentStateChanges.userId, desc(agentStateChanges.at), desc(agentStateChanges.id)),
    db
      .select(columns)
      .from(agentStateChanges)
      .where(and(gte(agentStateChanges.at, from), lt(agentStateChanges.at, to)))
      .orderBy(asc(agentStateChanges.at), asc(agentStateChanges.id)),
  ]);
  return { before: before as AgentStateChangeRow[], during: during as AgentStateChangeRow[] };
}
