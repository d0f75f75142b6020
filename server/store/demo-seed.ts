import { demoAccounts, demoAdmin, demoGroupNames, demoProfiles } from '../../contracts/demo-directory';
import type { Role } from '../../contracts/roles';
import { appendAudit } from './audit-repository';
import type { Db } from './database';
import { addMember, insertGroup } from './groups-repository';
import { insertProfile } from './profiles-repository';
import { createAccount } from './user-accounts';
import { countUsers } from './users-repository';

export type Login = { username: string; password: string; role: Role; extension: string };

const SYSTEM = { id: null, username: 'system' };

/**
 * On an empty database: the admin, and (unless `demo` is false) a small demo call center.
 * Returns each login with its generated password, to be shown once; nothing when not empty.
 */
export async function seedIfEmpty(db: Db, options: { demo: boolean; sipRealm: string }): Promise<Login[]> {
  if ((await countUsers(db)) > 0) return [];
  return db.transaction(async (tx) => {
    const logins: Login[] = [];
    const profileIds = new Map<string, number>();
    const groupIds = new Map<string, number>();
    if (options.demo) {
      for (const name of demoGroupNames) groupIds.set(name, await insertGroup(tx, name));
      for (const profile of demoProfiles)
        profileIds.set(profile.name, await insertProfile(tx, { ...profile, monitorNotice: false }));
    }
    for (const user of options.demo ? demoAccounts : [{ ...demoAdmin, extension: '1000' }]) {
      const { id, password } = await createAccount(
        tx,
        {
          username: user.username,
          displayName: user.displayName,
          email: null,
          extension: user.extension,
          location: null,
          role: user.role,
          profileId: profileIds.get(user.profile) ?? null,
          callListPrivacy: 'complete',
        },
        options.sipRealm,
      );
      const group = user.group;
      if (group) await addMember(tx, groupIds.get(group) ?? 0, id);
      logins.push({ username: user.username, password, role: user.role, extension: user.extension });
    }
    await appendAudit(tx, SYSTEM, {
      action: options.demo ? 'seed.demo' : 'seed.admin',
      entity: 'system',
      entityId: null,
      after: { users: logins.map((l) => l.username), profiles: [...profileIds.keys()] },
    });
    return logins;
  });
}

/** The once-only table of logins printed on first start. */
export function formatLogins(logins: Login[]): string {
  const rows = logins.map(
    (l) => `  ${l.username.padEnd(12)} ${l.password.padEnd(18)} ${l.role.padEnd(11)} ${l.extension}`,
  );
  return [
    'First start: these logins are shown once. Keep them safe; an admin can reset them later.',
    `  ${'username'.padEnd(12)} ${'password'.padEnd(18)} ${'role'.padEnd(11)} extension`,
    ...rows,
  ].join('\n');
}
