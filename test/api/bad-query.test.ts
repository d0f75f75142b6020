import { describe, expect, it } from 'vitest';
import type { ApiClient } from './support/api-client';
import { expectApiError } from './support/expect-error';
import { serverPerFile } from './support/server-per-file';

/** Query strings and path ids of the read routes: any shape is a 4xx, never a 500. */
let admin: ApiClient;

serverPerFile((_server, signedIn) => void (admin = signedIn));

const huge = '99999999999';

const cases: { path: string; field: string }[] = [
  { path: `/api/users?profileId=${huge}`, field: 'profileId' },
  { path: '/api/users?profileId=abc', field: 'profileId' },
  { path: '/api/users?role=king', field: 'role' },
  { path: '/api/users?group=Bad%20Name', field: 'group' },
  { path: `/api/users?q=${'x'.repeat(101)}`, field: 'q' },
  { path: '/api/users?limit=0', field: 'limit' },
  { path: '/api/users?limit=501', field: 'limit' },
  { path: '/api/users?limit=abc', field: 'limit' },
  { path: '/api/users?offset=-1', field: 'offset' },
  { path: '/api/users?offset=1.5', field: 'offset' },
  { path: '/api/users?sort=name', field: 'sort' },
  { path: `/api/calls?userId=${huge}`, field: 'userId' },
  { path: `/api/calls?profileId=${huge}`, field: 'profileId' },
  { path: '/api/calls?userId=-3', field: 'userId' },
  { path: '/api/calls?disposition=maybe', field: 'disposition' },
  { path: '/api/calls?from=yesterday', field: 'from' },
  { path: '/api/calls?to=2026-13-45T00:00:00Z', field: 'to' },
  { path: `/api/calls/export.csv?userId=${huge}`, field: 'userId' },
  { path: '/api/calls/export.csv?disposition=maybe', field: 'disposition' },
  { path: `/api/audit?actor=${'x'.repeat(65)}`, field: 'actor' },
  { path: '/api/audit?limit=1000', field: 'limit' },
  { path: '/api/audit?nope=1', field: 'nope' },
  { path: '/api/profiles/abc', field: 'id' },
  { path: `/api/profiles/${huge}`, field: 'id' },
  { path: '/api/users/0', field: 'id' },
  { path: '/api/groups/-1', field: 'id' },
  { path: '/api/profiles/abc/deletion-impact', field: 'id' },
];

describe('bad query strings and ids', () => {
  it.each(cases)('GET $path → 400 naming $field', async ({ path, field }) => {
    const error = expectApiError(await admin.get(path), 400, 'validation_failed');
    expect(error.fields?.[field], JSON.stringify(error)).toEqual(expect.any(String));
  });
});

/** Postgres refuses U+0000 in text; the search must refuse it (or ignore it), not fail. */
describe('search text with a NUL character', () => {
  it.each(['/api/users?q=a%00b', '/api/audit?actor=a%00b', '/api/audit?entity=%00', '/api/audit?action=%00'])(
    'GET %s is not a 500',
    async (path) => {
      const response = await admin.get(path);
      expect(response.status, response.text).not.toBe(500);
      if (response.status >= 400) expectApiError(response, 400, 'validation_failed');
      else expect(response.status).toBe(200);
    },
  );
});

describe('ids that do not exist', () => {
  it.each([
    '/api/profiles/2147483647',
    '/api/users/2147483647',
    '/api/groups/2147483647',
    '/api/profiles/2147483647/deletion-impact',
  ])('GET %s → 404', async (path) => {
    expectApiError(await admin.get(path), 404, 'not_found');
  });
});
