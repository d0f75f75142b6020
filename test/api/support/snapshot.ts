import { eq } from 'drizzle-orm';
import type { Db } from '../../../server/store/database';
import {
  auditLog,
  callRecords,
  groups,
  memberships,
  profiles,
  settings,
  users,
} from '../../../server/store/schema';

/**
 * Every row of every table a request could change, as plain JSON, sorted: two equal snapshots
 * mean the database is unchanged. Sessions are left out, since signing in creates them.
 */
export async function snapshot(db: Db): Promise<Record<string, string[]>> {
  const tables = {
    profiles,
    users,
    groups,
    memberships,
    call_records: callRecords,
    audit_log: auditLog,
    settings,
  };
  const result: Record<string, string[]> = {};
  for (const [name, table] of Object.entries(tables)) {
    const rows: unknown[] = await db.select().from(table);
    result[name] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return result;
}

export async function profileId(db: Db, name: string): Promise<number> {
  const [row] = await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.name, name));
  if (!row) throw new Error(`No profile ${name}`);
  return row.id;
}

export async function userId(db: Db, username: string): Promise<number> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
  if (!row) throw new Error(`No user ${username}`);
  return row.id;
}

export async function groupId(db: Db, name: string): Promise<number> {
  const [row] = await db.select({ id: groups.id }).from(groups).where(eq(groups.name, name));
  if (!row) throw new Error(`No group ${name}`);
  return row.id;
}

export async function auditEntries(db: Db) {
  return db.select().from(auditLog).orderBy(auditLog.id);
}
