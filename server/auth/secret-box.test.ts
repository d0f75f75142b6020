import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../store/database';
import { settings } from '../store/schema';
import { newSecret } from '../store/settings-repository';
import { freshTestDatabase } from '../store/test-database';
import { openWith, SECRET_BOX_KEY, SecretBox, SecretBoxError, sealWith, trunkSecretBox } from './secret-box';

const key = newSecret();

describe('sealWith / openWith', () => {
  it('opens what it sealed, and never shows the text', () => {
    const sealed = sealWith(key, 'carrier-pässword', 'trunk-password');
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(sealed).not.toContain('carrier');
    expect(openWith(key, sealed, 'trunk-password')).toBe('carrier-pässword');
  });

  it('seals the same text differently each time (a fresh IV)', () => {
    const a = sealWith(key, 'same', 'trunk-password');
    const b = sealWith(key, 'same', 'trunk-password');
    expect(a).not.toBe(b);
    expect([openWith(key, a, 'trunk-password'), openWith(key, b, 'trunk-password')]).toEqual([
      'same',
      'same',
    ]);
  });

  it('refuses an altered value, another key, another label and garbage, with a sentence', () => {
    const sealed = sealWith(key, 'secret', 'trunk-password');
    const [version, iv, tag, body = ''] = sealed.split('.');
    // One bit of the ciphertext flipped: always a different value (a flipped base64 character
    // may not be, when it already held the replacement).
    const bytes = Buffer.from(body, 'base64url');
    bytes[0] = (bytes[0] ?? 0) ^ 0x01;
    const flipped = bytes.toString('base64url');
    expect(flipped).not.toBe(body);
    const attempts = [
      () => openWith(key, [version, iv, tag, flipped].join('.'), 'trunk-password'),
      () => openWith(newSecret(), sealed, 'trunk-password'),
      () => openWith(key, sealed, 'something-else'),
      () => openWith(key, 'not sealed at all', 'trunk-password'),
      () => openWith(key, `v2.${iv}.${tag}.${body}`, 'trunk-password'),
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrow(SecretBoxError);
      expect(attempt).toThrow(/cannot be opened.*Enter the password again\./);
    }
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => sealWith('c2hvcnQ', 'x', 'trunk-password')).toThrow(/not a 32-byte key/);
  });
});

describe('SecretBox on a database', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshTestDatabase();
  });
  afterAll(() => database.close());

  it('creates its key once in settings; another box on the same database opens its values', async () => {
    const first = trunkSecretBox(database.db);
    const sealed = await first.seal('hunter2');
    const [row] = await database.db.select().from(settings).where(eq(settings.key, SECRET_BOX_KEY));
    expect(Buffer.from(row?.value ?? '', 'base64url')).toHaveLength(32);

    const second = trunkSecretBox(database.db);
    expect(await second.open(sealed)).toBe('hunter2');
    expect(await second.open(await second.seal('again'))).toBe('again');
    const rows = await database.db.select().from(settings).where(eq(settings.key, SECRET_BOX_KEY));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.value).toBe(row?.value);

    await expect(new SecretBox(database.db, 'another-use').open(sealed)).rejects.toThrow(SecretBoxError);
  });
});
