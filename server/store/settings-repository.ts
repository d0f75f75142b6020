import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from './database';
import { settings } from './schema';

/**
 * Returns the value under `key`, creating it with `create()` the first time. Used for secrets
 * generated on first start (the SIP credential secret) so every restart keeps them.
 */
export async function getOrCreateSetting(db: DbOrTx, key: string, create: () => string): Promise<string> {
  await db.insert(settings).values({ key, value: create(), updatedAt: Date.now() }).onConflictDoNothing();
  const [row] = await db.select().from(settings).where(eq(settings.key, key));
  if (!row) throw new Error(`setting ${key} could not be stored`);
  return row.value;
}

export const newSecret = () => randomBytes(32).toString('base64url');
