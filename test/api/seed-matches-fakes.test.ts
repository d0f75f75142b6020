import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupList } from '../../contracts/groups';
import type { Profile, ProfileList } from '../../contracts/profiles';
import type { UserList } from '../../contracts/users';
import type { AuditList } from '../../contracts/audit';
import { demoGroups, demoProfiles, demoSeedAudit, demoUsers } from '../../src/testing/demo-data';
import type { ApiClient } from './support/api-client';
import { startTestServer, type TestServer } from './support/test-server';

// The web tests' fakes are built from the same list the seed writes (contracts/demo-directory.ts):
// a fresh server must show exactly those people, profiles and groups, under the same ids, or a
// web test could pass on a name or an id the product never shows.

let server: TestServer;
let admin: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.signIn('admin');
});
afterAll(() => server?.close());

/** What a fresh server and the fakes must agree on: all but the moment a row was written. */
function withoutTimes<T extends { createdAt: string; updatedAt?: string }>(row: T) {
  const { createdAt: _created, updatedAt: _updated, ...rest } = row;
  return rest;
}

describe('a fresh server and the web fakes', () => {
  it('show the same users, with the same ids, extensions, roles, profiles and groups', async () => {
    const response = await admin.get<UserList>('/api/users?limit=100');
    expect(response.status).toBe(200);
    const byUsername = (a: { username: string }, b: { username: string }) =>
      a.username.localeCompare(b.username);
    expect(response.body.items.map(withoutTimes).sort(byUsername)).toEqual(
      demoUsers.map(withoutTimes).sort(byUsername),
    );
  });

  it('show the same profiles; only the phones signed in (fake-only seats) differ', async () => {
    const response = await admin.get<ProfileList>('/api/profiles');
    expect(response.status).toBe(200);
    const comparable = ({ seatsInUse: _seats, ...profile }: Profile) => withoutTimes(profile);
    expect(response.body.items.map(comparable)).toEqual(demoProfiles.map(comparable));
  });

  it('show the same groups, members and barge profiles', async () => {
    const response = await admin.get<GroupList>('/api/groups');
    expect(response.status).toBe(200);
    expect(response.body.items.map(withoutTimes)).toEqual(demoGroups.map(withoutTimes));
  });

  it("start the audit log with the seed's own entry", async () => {
    const response = await admin.get<AuditList>('/api/audit?action=seed.demo');
    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([{ ...demoSeedAudit, at: expect.any(String) }]);
  });
});
