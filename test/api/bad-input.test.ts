import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../contracts/errors';
import { knownFlags } from '../../contracts/profiles';
import type { ApiClient, RequestOptions } from './support/api-client';
import { expectApiError } from './support/expect-error';
import { makeGroup, makeProfile, makeUser } from './support/fixtures';
import { snapshot } from './support/snapshot';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * Bad input for every mutation: each answer is a 4xx in the one error shape, with a message
 * per field where a field is at fault, and the database is exactly as it was.
 */
type BadCase = {
  name: string;
  method: string;
  /** `:profile`, `:user` and `:group` stand for throwaway targets made in beforeAll. */
  path: string;
  send?: RequestOptions;
  /** The status; a list where more than one answer is right. */
  status: number | number[];
  code?: ErrorCode;
  /** Fields that must each carry a message. */
  fields?: string[];
  /** Every one of these must appear in the message of `fields[0]` (or the message). */
  mentions?: readonly string[];
  signedOut?: boolean;
};

let server: TestServer;
let admin: ApiClient;
let targets: { profile: number; user: number; group: number };
/**
 * The database as the previous case left it. Cases run one after another on this server and
 * nothing else writes to it, so this is the state before the next request (half the reads).
 */
let lastSnapshot: Awaited<ReturnType<typeof snapshot>> | undefined;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.signIn('admin');
  const group = await makeGroup(server.db, 'target_group');
  targets = {
    profile: (await makeProfile(server.db, { name: 'target_profile' })).id,
    user: (await makeUser(server.db, { username: 'target_user' })).id,
    group: group.id,
  };
});
afterAll(() => server?.close());

const json = (value: unknown): RequestOptions => ({ json: value });
const raw = (value: string, contentType?: string): RequestOptions =>
  contentType ? { raw: value, contentType } : { raw: value };
const long = (n: number) => 'a'.repeat(n);

const validProfile = { name: 'fresh_profile', capacity: 5, channelLimit: 5 };
const validUser = { username: 'fresh_user', displayName: 'Fresh User', extension: '7777' };

/** The mutations that take a JSON body, each with one valid body. */
const bodyRoutes: {
  label: string;
  method: string;
  path: string;
  valid: Record<string, unknown>;
  signedOut?: boolean;
}[] = [
  {
    label: 'POST /api/session',
    method: 'POST',
    path: '/api/session',
    valid: { username: 'agent1', password: 'x' },
    signedOut: true,
  },
  { label: 'POST /api/profiles', method: 'POST', path: '/api/profiles', valid: validProfile },
  {
    label: 'PATCH /api/profiles/{id}',
    method: 'PATCH',
    path: '/api/profiles/:profile',
    valid: { capacity: 6 },
  },
  { label: 'POST /api/users', method: 'POST', path: '/api/users', valid: validUser },
  {
    label: 'PATCH /api/users/{id}',
    method: 'PATCH',
    path: '/api/users/:user',
    valid: { location: 'Floor 2' },
  },
  { label: 'POST /api/groups', method: 'POST', path: '/api/groups', valid: { name: 'fresh_group' } },
  {
    label: 'PATCH /api/groups/{id}',
    method: 'PATCH',
    path: '/api/groups/:group',
    valid: { name: 'fresh_group' },
  },
];

/** Malformed bodies that every JSON route must refuse the same way. */
const malformedBodies: {
  name: string;
  send: (valid: Record<string, unknown>) => RequestOptions;
  status: number;
  code: ErrorCode;
}[] = [
  { name: 'bad JSON', send: () => raw('{"name": '), status: 400, code: 'bad_request' },
  { name: 'a JSON array', send: () => raw('[]'), status: 400, code: 'validation_failed' },
  { name: 'JSON null', send: () => raw('null'), status: 400, code: 'validation_failed' },
  { name: 'a JSON string', send: () => raw('"hello"'), status: 400, code: 'validation_failed' },
  { name: 'a JSON number', send: () => raw('42'), status: 400, code: 'validation_failed' },
  { name: 'an empty body', send: () => raw(''), status: 400, code: 'bad_request' },
  {
    name: 'text/plain',
    send: (valid) => raw(JSON.stringify(valid), 'text/plain'),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a form body',
    send: () => raw('name=fresh_group', 'application/x-www-form-urlencoded'),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'an oversize body (> 64 KB)',
    send: (valid) => json({ ...valid, padding: long(70 * 1024) }),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'an unknown field',
    send: (valid) => json({ ...valid, colour: 'red' }),
    status: 400,
    code: 'validation_failed',
  },
];

const genericCases: BadCase[] = bodyRoutes.flatMap((route) =>
  malformedBodies.map((body) => ({
    name: `${route.label}: ${body.name}`,
    method: route.method,
    path: route.path,
    send: body.send(route.valid),
    status: body.status,
    code: body.code,
    ...(body.name === 'an unknown field' ? { fields: ['colour'] } : {}),
    ...(route.signedOut ? { signedOut: true } : {}),
  })),
);

const badNames = [
  ['Bad Name', 'spaces and capitals'],
  ['', 'empty'],
  [long(65), '65 characters'],
  ['prøfil', 'unicode'],
  ['naïve_ünïcode_名前', 'more unicode'],
  ['semi;colon', 'punctuation'],
] as const;

const nameCases = (
  label: string,
  method: string,
  path: string,
  valid: Record<string, unknown>,
  field: string,
): BadCase[] => [
  ...badNames.map(([value, why]) => ({
    name: `${label}: ${field} ${why}`,
    method,
    path,
    send: json({ ...valid, [field]: value }),
    status: 400,
    code: 'validation_failed' as const,
    fields: [field],
  })),
  {
    name: `${label}: ${field} a number`,
    method,
    path,
    send: json({ ...valid, [field]: 123 }),
    status: 400,
    fields: [field],
  },
  {
    name: `${label}: ${field} null`,
    method,
    path,
    send: json({ ...valid, [field]: null }),
    status: 400,
    fields: [field],
  },
];

const without = (object: Record<string, unknown>, key: string) =>
  Object.fromEntries(Object.entries(object).filter(([k]) => k !== key));

const sessionCases: BadCase[] = [
  {
    name: 'POST /api/session: username a number',
    method: 'POST',
    path: '/api/session',
    send: json({ username: 1, password: 'x' }),
    status: 400,
    fields: ['username'],
    signedOut: true,
  },
  {
    name: 'POST /api/session: password missing',
    method: 'POST',
    path: '/api/session',
    send: json({ username: 'agent1' }),
    status: 400,
    fields: ['password'],
    signedOut: true,
  },
  {
    name: 'POST /api/session: both missing',
    method: 'POST',
    path: '/api/session',
    send: json({}),
    status: 400,
    fields: ['username', 'password'],
    signedOut: true,
  },
  {
    name: 'POST /api/session: empty password',
    method: 'POST',
    path: '/api/session',
    send: json({ username: 'agent1', password: '' }),
    status: 400,
    fields: ['password'],
    signedOut: true,
  },
  {
    name: 'POST /api/session: 65-character username',
    method: 'POST',
    path: '/api/session',
    send: json({ username: long(65), password: 'x' }),
    status: 400,
    fields: ['username'],
    signedOut: true,
  },
  {
    name: 'POST /api/session: 257-character password',
    method: 'POST',
    path: '/api/session',
    send: json({ username: 'agent1', password: long(257) }),
    status: 400,
    fields: ['password'],
    signedOut: true,
  },
];

const P = '/api/profiles';
const profileCases: BadCase[] = [
  ...nameCases('POST /api/profiles', 'POST', P, validProfile, 'name'),
  ...nameCases('PATCH /api/profiles/{id}', 'PATCH', `${P}/:profile`, {}, 'name'),
  ...(['name', 'capacity', 'channelLimit'] as const).map((field) => ({
    name: `POST /api/profiles: ${field} missing`,
    method: 'POST',
    path: P,
    send: json(without(validProfile, field)),
    status: 400,
    fields: [field],
  })),
  ...(
    [
      ['channelLimit', 0],
      ['channelLimit', 301],
      ['channelLimit', -5],
      ['channelLimit', 2.5],
      ['channelLimit', '10'],
      ['capacity', 0],
      ['capacity', -1],
      ['capacity', 1.5],
      ['capacity', 'many'],
      ['capacity', null],
      ['monitorNotice', 'yes'],
      ['flags', 'call'],
      ['flags', [1]],
      ['bargeGroup', 'Bad Group'],
      ['bargeGroup', 7],
    ] as const
  ).flatMap(([field, value]) =>
    (['POST', 'PATCH'] as const).map((method) => ({
      name: `${method} /api/profiles: ${field} ${JSON.stringify(value)}`,
      method,
      path: method === 'POST' ? P : `${P}/:profile`,
      send: json(method === 'POST' ? { ...validProfile, [field]: value } : { [field]: value }),
      status: 400,
      fields: [field === 'flags' && Array.isArray(value) ? 'flags.0' : field],
    })),
  ),
  ...(['POST', 'PATCH'] as const).flatMap((method) => {
    const path = method === 'POST' ? P : `${P}/:profile`;
    const base = method === 'POST' ? validProfile : {};
    return [
      {
        name: `${method} /api/profiles: an unknown flag, with the known ones listed`,
        method,
        path,
        send: json({ ...base, flags: ['call', 'teleport'] }),
        status: 400,
        fields: ['flags.1'],
        mentions: ['teleport', ...knownFlags],
      },
      {
        name: `${method} /api/profiles: a barge group that does not exist`,
        method,
        path,
        send: json({ ...base, bargeGroup: 'no_such_group' }),
        status: 400,
        fields: ['bargeGroup'],
        mentions: ['no_such_group'],
      },
      {
        name: `${method} /api/profiles: a duplicate name`,
        method,
        path,
        send: json({ ...base, name: 'agents' }),
        status: 409,
        code: 'conflict' as const,
        fields: ['name'],
        mentions: ['agents'],
      },
    ];
  }),
];

const U = '/api/users';
const userCases: BadCase[] = [
  ...nameCases('POST /api/users', 'POST', U, validUser, 'username'),
  ...(['username', 'displayName', 'extension'] as const).map((field) => ({
    name: `POST /api/users: ${field} missing`,
    method: 'POST',
    path: U,
    send: json(without(validUser, field)),
    status: 400,
    fields: [field],
  })),
  ...(
    [
      ['displayName', ''],
      ['displayName', '   '],
      ['displayName', long(121)],
      ['displayName', 5],
      ['extension', 'abc'],
      ['extension', '1'],
      ['extension', '1234567890123456'],
      ['extension', 1234],
      ['extension', '12 34'],
      ['email', 'not-an-email'],
      ['email', 42],
      ['location', long(121)],
      ['role', 'king'],
      ['role', 'Admin'],
      ['profileId', 'agents'],
      ['profileId', 0],
      ['profileId', -1],
      ['profileId', 1.5],
      ['profileId', 99_999_999_999],
      ['callListPrivacy', 'partial'],
    ] as const
  ).flatMap(([field, value]) =>
    (['POST', 'PATCH'] as const).map((method) => ({
      name: `${method} /api/users: ${field} ${JSON.stringify(value).slice(0, 20)}`,
      method,
      path: method === 'POST' ? U : `${U}/:user`,
      send: json(method === 'POST' ? { ...validUser, [field]: value } : { [field]: value }),
      status: 400,
      fields: [field],
    })),
  ),
  {
    name: 'POST /api/users: a password field (passwords are generated, never chosen)',
    method: 'POST',
    path: U,
    send: json({ ...validUser, password: 'chosen-by-me' }),
    status: 400,
    fields: ['password'],
  },
  {
    name: 'PATCH /api/users/{id}: the username (not changeable)',
    method: 'PATCH',
    path: `${U}/:user`,
    send: json({ username: 'renamed_user' }),
    status: 400,
    fields: ['username'],
  },
  ...(['POST', 'PATCH'] as const).flatMap((method) => {
    const path = method === 'POST' ? U : `${U}/:user`;
    const base = method === 'POST' ? validUser : {};
    return [
      {
        name: `${method} /api/users: a profile that does not exist`,
        method,
        path,
        send: json({ ...base, profileId: 999_999 }),
        status: 400,
        fields: ['profileId'],
        mentions: ['999999'],
      },
      {
        name: `${method} /api/users: an extension that is taken`,
        method,
        path,
        send: json({ ...base, extension: '1001' }),
        status: 409,
        code: 'conflict' as const,
        fields: ['extension'],
        mentions: ['1001'],
      },
    ];
  }),
  {
    name: 'POST /api/users: a username that is taken',
    method: 'POST',
    path: U,
    send: json({ ...validUser, username: 'agent1' }),
    status: 409,
    code: 'conflict',
    fields: ['username'],
    mentions: ['agent1'],
  },
];

const G = '/api/groups';
const groupCases: BadCase[] = [
  ...nameCases('POST /api/groups', 'POST', G, {}, 'name'),
  ...nameCases('PATCH /api/groups/{id}', 'PATCH', `${G}/:group`, {}, 'name'),
  {
    name: 'POST /api/groups: name missing',
    method: 'POST',
    path: G,
    send: json({}),
    status: 400,
    fields: ['name'],
  },
  {
    name: 'PATCH /api/groups/{id}: name missing',
    method: 'PATCH',
    path: `${G}/:group`,
    send: json({}),
    status: 400,
    fields: ['name'],
  },
  ...(['POST', 'PATCH'] as const).map((method) => ({
    name: `${method} /api/groups: a duplicate name`,
    method,
    path: method === 'POST' ? G : `${G}/:group`,
    send: json({ name: 'floor_1' }),
    status: 409,
    code: 'conflict' as const,
    fields: ['name'],
    mentions: ['floor_1'],
  })),
];

/** Every route with an id in its path, and a body that would be valid. */
const idRoutes: {
  label: string;
  method: string;
  path: (id: string) => string;
  send?: RequestOptions;
  field: string;
}[] = [
  {
    label: 'PATCH /api/profiles/{id}',
    method: 'PATCH',
    path: (id) => `${P}/${id}`,
    send: json({ capacity: 6 }),
    field: 'id',
  },
  { label: 'DELETE /api/profiles/{id}', method: 'DELETE', path: (id) => `${P}/${id}`, field: 'id' },
  {
    label: 'PATCH /api/users/{id}',
    method: 'PATCH',
    path: (id) => `${U}/${id}`,
    send: json({ location: 'x' }),
    field: 'id',
  },
  {
    label: 'POST /api/users/{id}/password',
    method: 'POST',
    path: (id) => `${U}/${id}/password`,
    field: 'id',
  },
  { label: 'DELETE /api/users/{id}', method: 'DELETE', path: (id) => `${U}/${id}`, field: 'id' },
  {
    label: 'PATCH /api/groups/{id}',
    method: 'PATCH',
    path: (id) => `${G}/${id}`,
    send: json({ name: 'fresh_group' }),
    field: 'id',
  },
  { label: 'DELETE /api/groups/{id}', method: 'DELETE', path: (id) => `${G}/${id}`, field: 'id' },
  {
    label: 'PUT /api/groups/{id}/members/{userId} (bad group)',
    method: 'PUT',
    path: (id) => `${G}/${id}/members/:user`,
    field: 'id',
  },
  {
    label: 'DELETE /api/groups/{id}/members/{userId} (bad group)',
    method: 'DELETE',
    path: (id) => `${G}/${id}/members/:user`,
    field: 'id',
  },
  {
    label: 'PUT /api/groups/{id}/members/{userId} (bad user)',
    method: 'PUT',
    path: (id) => `${G}/:group/members/${id}`,
    field: 'userId',
  },
  {
    label: 'DELETE /api/groups/{id}/members/{userId} (bad user)',
    method: 'DELETE',
    path: (id) => `${G}/:group/members/${id}`,
    field: 'userId',
  },
];

/** Ids are decimal digits only: hexadecimal, binary, exponent, signed and padded forms are refused. */
const badIds = [
  'abc',
  '-1',
  '0',
  '1.5',
  '1e3x',
  '99999999999',
  '340282366920938463463374607431768211456',
  '0x10',
  '0b11',
  '1e3',
  '1E1',
  '%2B5',
  '%205',
  '5%20',
  'Infinity',
];

const idCases: BadCase[] = idRoutes.flatMap((route) => [
  ...badIds.map((id) => ({
    name: `${route.label}: id ${id.length > 12 ? 'huge' : id}`,
    method: route.method,
    path: route.path(id),
    ...(route.send ? { send: route.send } : {}),
    status: 400,
    code: 'validation_failed' as const,
    fields: [route.field],
  })),
  {
    name: `${route.label}: an id that does not exist`,
    method: route.method,
    path: route.path('2147483647'),
    ...(route.send ? { send: route.send } : {}),
    status: 404,
    code: 'not_found' as const,
  },
]);

/** Bodies on routes that take none: a huge one is still refused before anything happens. */
const oversizeOnBodylessCases: BadCase[] = [
  ['DELETE', `${P}/:profile`],
  ['DELETE', `${U}/:user`],
  ['POST', `${U}/:user/password`],
  ['DELETE', `${G}/:group`],
  ['PUT', `${G}/:group/members/:user`],
].map(([method = '', path = '']) => ({
  name: `${method} ${path}: an oversize body`,
  method,
  path,
  send: raw(JSON.stringify({ padding: long(70 * 1024) })),
  status: 413,
  code: 'payload_too_large' as const,
}));

/**
 * Postgres cannot store U+0000 in text: such input must be refused at the edge, not reach
 * the database and come back as a 500.
 */
const nulCases: BadCase[] = [
  ...(['displayName', 'location'] as const).flatMap((field) =>
    (['POST', 'PATCH'] as const).map((method) => ({
      name: `${method} /api/users: ${field} containing U+0000`,
      method,
      path: method === 'POST' ? U : `${U}/:user`,
      send: json(method === 'POST' ? { ...validUser, [field]: 'A\u0000B' } : { [field]: 'A\u0000B' }),
      status: 400,
      fields: [field],
    })),
  ),
  {
    name: 'POST /api/session: username containing U+0000 (refused, or simply a wrong login)',
    method: 'POST',
    path: '/api/session',
    send: json({ username: 'agent1\u0000', password: 'x' }),
    status: [400, 401],
    signedOut: true,
  },
];

const groups: [string, BadCase[]][] = [
  ['malformed bodies', genericCases],
  ['session', sessionCases],
  ['profiles', profileCases],
  ['users', userCases],
  ['groups', groupCases],
  ['ids', idCases],
  ['oversize bodies on routes without one', oversizeOnBodylessCases],
  ['text with a NUL character', nulCases],
];

const fillPath = (path: string) =>
  path
    .replace(':profile', String(targets.profile))
    .replace(':user', String(targets.user))
    .replace(':group', String(targets.group));

describe.each(groups)('%s', (_, cases) => {
  it.each(cases)('$name', async (badCase) => {
    const before = lastSnapshot ?? (await snapshot(server.db));
    const client = badCase.signedOut ? server.client() : admin;
    const response = await client.request(badCase.method, fillPath(badCase.path), badCase.send ?? {});
    const after = await snapshot(server.db);
    lastSnapshot = after;
    const statuses = [badCase.status].flat();
    const status = statuses.includes(response.status) ? response.status : (statuses[0] ?? 400);
    const error = expectApiError(
      response,
      status,
      badCase.code ?? (status === 400 ? 'validation_failed' : undefined),
    );
    for (const field of badCase.fields ?? []) {
      expect(error.fields?.[field], `fields: ${JSON.stringify(error.fields)}`).toEqual(expect.any(String));
      expect(error.fields?.[field]?.length).toBeGreaterThan(3);
    }
    const explained = badCase.fields?.[0] ? (error.fields?.[badCase.fields[0]] ?? '') : error.message;
    for (const word of badCase.mentions ?? []) expect(explained).toContain(word);
    expect(after).toEqual(before);
  });
});
