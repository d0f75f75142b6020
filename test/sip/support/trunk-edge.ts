import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Flag } from '../../../contracts/profiles';
import { loadConfig, type Config } from '../../../server/config';
import { findOnPath } from '../../../server/media/rtpengine/rtpengine-config';
import { changeAccountBalance, changeProfileCredit } from '../../../server/store/credit-repository';
import { insertNumber } from '../../../server/store/numbers-repository';
import { findProfileByName, updateProfile } from '../../../server/store/profiles-repository';
import { insertRate } from '../../../server/store/rates-repository';
import { callRecords } from '../../../server/store/schema';
import { insertTrunk, type TrunkValues } from '../../../server/store/trunks-repository';
import { startEdgeServer, type EdgeTestServer } from '../edge-test-server';

/**
 * Whether rtpengine is on this PATH (trunk and desk-phone media tests need it); when it is not,
 * says once why the file's tests are skipped (`sentence`, e.g. "Skipped: trunk calls need rtpengine
 * (Debian's rtpengine-daemon).").
 */
export function rtpengineInstalled(sentence: string): boolean {
  const installed = findOnPath('rtpengine', process.env.PATH);
  // eslint-disable-next-line no-console -- says once why the tests are skipped
  if (!installed) console.warn(sentence);
  return Boolean(installed);
}

/** rtpengine spawned by the server, found on this process's PATH. */
export function spawnedRtpengine(): Config['rtpengine'] {
  return loadConfig({ LOG_LEVEL: 'error', PATH: process.env.PATH ?? '' }).rtpengine;
}

/**
 * The real server for trunk calls: German numbering, SIP over UDP and TCP on free ports and an
 * rtpengine of its own; `overrides` change any of it (timers, log level).
 */
export function startTrunkEdge(overrides: Partial<Config> = {}): Promise<EdgeTestServer> {
  return startEdgeServer({
    defaultCountryCode: '49',
    sipUdpPort: 0,
    sipTcpPort: 0,
    rtpengine: spawnedRtpengine(),
    ...overrides,
  });
}

/**
 * Stores a trunk to a carrier played on loopback: IP-authenticated by its `host` (127.0.0.1
 * unless given), over UDP, E.164 numbers, every prefix, caller ID +4930555000, priority 1.
 */
export async function addTrunk(
  server: EdgeTestServer,
  values: Partial<TrunkValues> & Pick<TrunkValues, 'name' | 'port'>,
): Promise<void> {
  const host = values.host ?? '127.0.0.1';
  await insertTrunk(server.db, {
    host,
    transport: 'udp',
    auth: { kind: 'ip', addresses: [host] },
    callerId: '+4930555000',
    numberFormat: { kind: 'e164' },
    prefixes: ['+'],
    priority: 1,
    enabled: true,
    ...values,
  });
}

/** Sets a seeded profile's flags and tells the edge (not yet awaited: see `edgeSettled`); its id. */
export async function setProfileFlags(server: EdgeTestServer, name: string, flags: Flag[]): Promise<number> {
  const profile = await findProfileByName(server.db, name);
  if (!profile) throw new Error(`no ${name} profile in the demo seed`);
  await updateProfile(server.db, profile.id, { flags });
  server.deps.events.publish({ entity: 'profile', id: profile.id });
  return profile.id;
}

/**
 * Tells the edge that numbers and trunks changed, waits for its directory to reload, then (up to
 * 5 s) until it routes to `trunks` trunks.
 */
export async function edgeSettled(server: EdgeTestServer, trunks: number): Promise<void> {
  server.deps.events.publish({ entity: 'number', id: null });
  server.deps.events.publish({ entity: 'trunk', id: null });
  await server.deps.directory.settled();
  await trunksRouted(server, trunks);
}

/** Waits (up to 5 s) until the edge routes to `count` trunks (it reloads them on the trunk event). */
export async function trunksRouted(server: EdgeTestServer, count: number): Promise<void> {
  const started = Date.now();
  while ((server.edge.trunkRouter?.count ?? 0) < count && Date.now() - started < 5000)
    await new Promise((r) => setTimeout(r, 20));
}

/** Waits (up to `ms`) until the edge has no dialog left. */
export async function dialogsEnded(server: EdgeTestServer, ms = 4000): Promise<void> {
  const started = Date.now();
  while (server.edge.dialogs().length > 0 && Date.now() - started < ms)
    await new Promise((r) => setTimeout(r, 20));
}

/**
 * After a trunk case: drops its phones, waits for the edge's dialogs and trunk calls to end, and
 * checks that no rtpengine call is left behind.
 */
export async function trunkCaseOver(server: EdgeTestServer, phones: { terminate(): void }[]): Promise<void> {
  for (const phone of phones.splice(0)) phone.terminate();
  await dialogsEnded(server);
  await server.edge.trunkCalls.idle();
  expect(await server.media.list()).toEqual([]);
}

/** The call records of `callId` once the edge has written them. */
export async function recordsOf(server: EdgeTestServer, callId: string) {
  await server.edge.recordsIdle();
  return server.db.select().from(callRecords).where(eq(callRecords.callId, callId));
}

/** The (first) call record of `callId` once the edge has written it. */
export async function recordOf(server: EdgeTestServer, callId: string) {
  const [row] = await recordsOf(server, callId);
  return row;
}

/** A seeded user's id, from the edge's directory. */
export async function userIdOf(server: EdgeTestServer, username: string): Promise<number> {
  return (await server.deps.directory.byUsername(username))?.userId ?? 0;
}

/** Tops up the account by `minor` and hands it all to a profile's credit: the account's balance stays. */
export async function giveProfileCredit(
  server: EdgeTestServer,
  profileId: number,
  minor: number,
): Promise<void> {
  await changeAccountBalance(server.db, minor);
  await changeProfileCredit(server.db, profileId, minor);
  await changeAccountBalance(server.db, -minor);
}

/** Stores a rate for `prefix` billed by the second: `priceMicros` a minute. */
export async function addPerSecondRate(
  server: EdgeTestServer,
  prefix: string,
  description: string,
  priceMicros: number,
): Promise<void> {
  await insertRate(server.db, { prefix, description, priceMicros, firstIncrement: 1, nextIncrement: 1 });
}

/** Stores `number` as ringing seeded user `username` (labelled `label`). */
export async function assignNumberToUser(
  server: EdgeTestServer,
  number: string,
  username: string,
  label = 'Sales',
): Promise<void> {
  await insertNumber(server.db, {
    number,
    label,
    assignment: { kind: 'user', userId: await userIdOf(server, username) },
  });
}
