import { randomInt } from 'node:crypto';
import { and, asc, count, eq } from 'drizzle-orm';
import { generatePassword, sipHa1 } from '../auth/passwords';
import type { DbOrTx } from './database';
import { devices } from './schema';

export type DeviceRow = typeof devices.$inferSelect;

/** What the SIP edge needs of a desk phone: whose it is and its digest HA1s. */
export type DeviceCredentialRecord = {
  id: number;
  userId: number;
  name: string;
  sipUsername: string;
  ha1Md5: string;
  ha1Sha256: string;
  realm: string;
};

/** What an incoming call needs of an external number. */
export type ExternalNumberRecord = { id: number; userId: number; name: string; number: string };

const SUFFIX_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** `<username>-<6 random>`: a user's name has no `-`, so it never collides with one. */
export function deviceUsernameFor(username: string): string {
  let suffix = '';
  for (let i = 0; i < 6; i++) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return `${username}-${suffix}`;
}

export function listDevices(db: DbOrTx, userId: number): Promise<DeviceRow[]> {
  return db.select().from(devices).where(eq(devices.userId, userId)).orderBy(asc(devices.id));
}

export async function countDevices(db: DbOrTx, userId: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(devices).where(eq(devices.userId, userId));
  return row?.n ?? 0;
}

export async function findDevice(db: DbOrTx, userId: number, id: number): Promise<DeviceRow | undefined> {
  const [row] = await db
    .select()
    .from(devices)
    .where(and(eq(devices.userId, userId), eq(devices.id, id)));
  return row;
}

/**
 * A desk phone with generated credentials: the password is returned once and only its HA1s
 * (MD5 and SHA-256, RFC 8760) are stored.
 */
export async function insertSipPhone(
  db: DbOrTx,
  input: { userId: number; username: string; name: string; realm: string },
): Promise<{ row: DeviceRow; password: string }> {
  const password = generatePassword();
  const sipUsername = deviceUsernameFor(input.username);
  const [row] = await db
    .insert(devices)
    .values({
      userId: input.userId,
      kind: 'sip_phone',
      name: input.name,
      sipUsername,
      ha1Md5: sipHa1(sipUsername, input.realm, password, 'MD5'),
      ha1Sha256: sipHa1(sipUsername, input.realm, password, 'SHA-256'),
      sipRealm: input.realm,
    })
    .returning();
  if (!row) throw new Error('The device was not stored');
  return { row, password };
}

export async function insertExternalNumber(
  db: DbOrTx,
  input: { userId: number; name: string; number: string },
): Promise<DeviceRow> {
  const [row] = await db
    .insert(devices)
    .values({ userId: input.userId, kind: 'external_number', name: input.name, number: input.number })
    .returning();
  if (!row) throw new Error('The device was not stored');
  return row;
}

export async function renameDevice(db: DbOrTx, id: number, name: string): Promise<void> {
  await db.update(devices).set({ name, updatedAt: new Date() }).where(eq(devices.id, id));
}

export async function deleteDevice(db: DbOrTx, id: number): Promise<void> {
  await db.delete(devices).where(eq(devices.id, id));
}

/** Every desk phone's credentials and every external number (the edge's copy in memory). */
export async function loadDeviceRecords(
  db: DbOrTx,
): Promise<{ phones: DeviceCredentialRecord[]; numbers: ExternalNumberRecord[] }> {
  const rows = await db.select().from(devices).orderBy(asc(devices.id));
  const phones: DeviceCredentialRecord[] = [];
  const numbers: ExternalNumberRecord[] = [];
  for (const row of rows) {
    if (row.kind === 'sip_phone' && row.sipUsername && row.ha1Md5 && row.ha1Sha256) {
      phones.push({
        id: row.id,
        userId: row.userId,
        name: row.name,
        sipUsername: row.sipUsername,
        ha1Md5: row.ha1Md5,
        ha1Sha256: row.ha1Sha256,
        realm: row.sipRealm ?? '',
      });
    } else if (row.kind === 'external_number' && row.number) {
      numbers.push({ id: row.id, userId: row.userId, name: row.name, number: row.number });
    }
  }
  return { phones, numbers };
}
