import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/passwords';
import { listAudit } from '../store/audit-repository';
import type { Database } from '../store/database';
import { seedIfEmpty } from '../store/demo-seed';
import { freshTestDatabase } from '../store/test-database';
import { findUserByUsername } from '../store/users-repository';
import { addUser, CliError, listAllUsers, resetPassword } from './user-commands';

const realm = 'cli.test';

describe('CLI user commands', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshTestDatabase();
    await seedIfEmpty(database.db, { demo: true, sipRealm: realm });
  });
  afterAll(() => database.close());

  it('adds a user on a profile and shows the password once', async () => {
    const output = await addUser(database.db, realm, {
      username: 'alice',
      name: 'Alice Example',
      extension: '1010',
      profile: 'agents',
    });
    const password = /shown once: (\S+)$/.exec(output)?.[1] ?? '';
    expect(output).toMatch(/^Created alice \(agent, extension 1010\)\./);
    const alice = await findUserByUsername(database.db, 'alice');
    expect(alice?.profileName).toBe('agents');
    expect(await verifyPassword(alice?.passwordHash ?? '', password)).toBe(true);
    const audit = await listAudit(database.db, { actor: 'cli', offset: 0, limit: 5 });
    expect(audit.items.map((e) => e.action)).toEqual(['user.create']);
    expect(JSON.stringify(audit.items)).not.toContain(password);
  });

  it('refuses taken usernames and extensions, unknown profiles and bad names with sentences', async () => {
    const add = (options: Parameters<typeof addUser>[2]) => addUser(database.db, realm, options);
    await expect(add({ username: 'agent1', extension: '1999' })).rejects.toThrow(
      'The username agent1 is taken.',
    );
    await expect(add({ username: 'bob', extension: '1001' })).rejects.toThrow(
      'Extension 1001 belongs to agent1.',
    );
    await expect(add({ username: 'bob', extension: '1998', profile: 'nope' })).rejects.toThrow(
      'There is no profile named nope.',
    );
    await expect(add({ username: 'Bob!', extension: '12' })).rejects.toBeInstanceOf(CliError);
    await expect(add({ username: 'bob' })).rejects.toThrow(/extension/);
  });

  it('resets a password: the old one stops working', async () => {
    const before = await findUserByUsername(database.db, 'agent2');
    const output = await resetPassword(database.db, realm, 'agent2');
    const password = /shown once: (\S+)$/.exec(output)?.[1] ?? '';
    const after = await findUserByUsername(database.db, 'agent2');
    expect(after?.passwordHash).not.toBe(before?.passwordHash);
    expect(after?.ha1Md5).not.toBe(before?.ha1Md5);
    expect(await verifyPassword(after?.passwordHash ?? '', password)).toBe(true);
    await expect(resetPassword(database.db, realm, 'ghost')).rejects.toThrow('There is no user named ghost.');
  });

  it('refuses to add the first user of an empty database: the server creates the admin', async () => {
    const empty = await freshTestDatabase();
    try {
      await expect(addUser(empty.db, realm, { username: 'bob', extension: '2001' })).rejects.toThrow(
        'This database is empty: start the server once first, so that it creates the admin.',
      );
    } finally {
      await empty.close();
    }
  });

  it('lists users with role, extension and profile', async () => {
    const lines = (await listAllUsers(database.db)).split('\n');
    expect(lines[0]).toMatch(/^username\s+role\s+extension\s+profile\s+name$/);
    expect(lines.find((l) => l.startsWith('operator '))).toMatch(
      /operator\s+operator\s+1004\s+operators\s+Olivia Operator/,
    );
    expect(lines).toHaveLength(8);
  });
});
