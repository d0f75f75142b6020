import type { Flag } from '../../contracts/profiles';
import type { Role } from '../../contracts/roles';
import { appendAudit } from './audit-repository';
import type { Db } from './database';
import { addMember, insertGroup } from './groups-repository';
import { insertProfile } from './profiles-repository';
import { createAccount } from './user-accounts';
import { countUsers } from './users-repository';

export type Login = { username: string; password: string; role: Role; extension: string };

const SYSTEM = { id: null, username: 'system' };

const demoProfiles: {
  name: string;
  capacity: number;
  channelLimit: number;
  flags: Flag[];
  bargeGroup: string | null;
}[] = [
  { name: 'agents', capacity: 50, channelLimit: 50, flags: ['call', 'transfer'], bargeGroup: null },
  {
    name: 'operators',
    capacity: 10,
    channelLimit: 20,
    flags: ['call', 'transfer', 'listen', 'whisper', 'barge'],
    bargeGroup: 'floor_1',
  },
  { name: 'supervisors', capacity: 10, channelLimit: 10, flags: ['call', 'transfer'], bargeGroup: null },
];

const demoUsers: {
  username: string;
  displayName: string;
  role: Role;
  extension: string;
  profile: string;
  group?: string;
}[] = [
  {
    username: 'agent1',
    displayName: 'Agent One',
    role: 'agent',
    extension: '1001',
    profile: 'agents',
    group: 'floor_1',
  },
  {
    username: 'agent2',
    displayName: 'Agent Two',
    role: 'agent',
    extension: '1002',
    profile: 'agents',
    group: 'floor_1',
  },
  {
    username: 'agent3',
    displayName: 'Agent Three',
    role: 'agent',
    extension: '1003',
    profile: 'agents',
    group: 'floor_1',
  },
  {
    username: 'operator',
    displayName: 'Olivia Operator',
    role: 'operator',
    extension: '1004',
    profile: 'operators',
  },
  {
    username: 'supervisor',
    displayName: 'Sam Supervisor',
    role: 'supervisor',
    extension: '1005',
    profile: 'supervisors',
  },
];

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
      groupIds.set('floor_1', await insertGroup(tx, 'floor_1'));
      for (const profile of demoProfiles)
        profileIds.set(profile.name, await insertProfile(tx, { ...profile, monitorNotice: false }));
    }
    const admin = {
      username: 'admin',
      displayName: 'Administrator',
      role: 'admin' as const,
      extension: options.demo ? '1006' : '1000',
      profile: 'supervisors',
    };
    for (const user of options.demo ? [...demoUsers, admin] : [admin]) {
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
      const group = 'group' in user ? user.group : undefined;
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
