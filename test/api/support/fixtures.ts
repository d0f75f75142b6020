import type { Role } from '../../../contracts/roles';
import type { CallListPrivacy } from '../../../contracts/users';
import type { Db } from '../../../server/store/database';
import { addMember, insertGroup } from '../../../server/store/groups-repository';
import { insertNumber } from '../../../server/store/numbers-repository';
import { insertProfile } from '../../../server/store/profiles-repository';
import { insertTrunk } from '../../../server/store/trunks-repository';
import { createAccount } from '../../../server/store/user-accounts';

let counter = 0;
/** A name no other fixture in this process uses: `prefix_<n>`. */
export const uniqueName = (prefix: string) => `${prefix}_${++counter}_${process.pid}`;
let extension = 5000 + (process.pid % 1000) * 10_000;
export const uniqueExtension = () => String(++extension);

/** Throwaway rows written straight to the database, for tests that need a target. */
export async function makeProfile(db: Db, overrides: { name?: string; bargeGroup?: string | null } = {}) {
  const name = overrides.name ?? uniqueName('p');
  const id = await insertProfile(db, {
    name,
    capacity: 5,
    channelLimit: 5,
    flags: ['call'],
    bargeGroup: overrides.bargeGroup ?? null,
    monitorNotice: false,
  });
  return { id, name };
}

export async function makeGroup(db: Db, name = uniqueName('g')) {
  return { id: await insertGroup(db, name), name };
}

export async function makeUser(
  db: Db,
  options: {
    username?: string;
    role?: Role;
    profileId?: number | null;
    displayName?: string;
    callListPrivacy?: CallListPrivacy;
    groupIds?: number[];
  } = {},
) {
  const username = options.username ?? uniqueName('u');
  const ext = uniqueExtension();
  const { id, password } = await createAccount(
    db,
    {
      username,
      displayName: options.displayName ?? `User ${username}`,
      email: null,
      extension: ext,
      location: null,
      role: options.role ?? 'agent',
      profileId: options.profileId ?? null,
      callListPrivacy: options.callListPrivacy ?? 'complete',
    },
    'switchboard.local',
  );
  for (const groupId of options.groupIds ?? []) await addMember(db, groupId, id);
  return { id, username, password, extension: ext };
}

/** A throwaway trunk (IP authentication: no password to seal). */
export async function makeTrunk(db: Db, name = uniqueName('t')) {
  const id = await insertTrunk(db, {
    name,
    host: 'sip.carrier.example',
    port: 5060,
    transport: 'udp',
    auth: { kind: 'ip', addresses: ['203.0.113.10'] },
    callerId: '+493012345678',
    numberFormat: { kind: 'e164' },
    prefixes: ['+'],
    priority: 100,
    enabled: true,
  });
  return { id, name };
}

let phoneNumber = 100_000 + (process.pid % 1000) * 1000;
/** An E.164 number no other fixture in this process uses. */
export const uniqueNumber = () => `+4940${String(++phoneNumber).padStart(8, '0')}`;

/** A throwaway phone number, assigned to nobody. */
export async function makeNumber(db: Db, number = uniqueNumber()) {
  return { id: await insertNumber(db, { number, label: '', assignment: null }), number };
}
