import { http, HttpResponse } from 'msw';
import {
  userCreateSchema,
  userUpdateSchema,
  type User,
  type UserList,
  type UserWithPassword,
} from '../../../contracts/users';
import { fakeDb } from '../fake-db';
import { apiError, notFound, pageOf } from './api-errors';

type IdParams = { id: string };

/** The password every created or reset user gets here; the real server generates one. */
export const FAKE_PASSWORD = 'k7Hq2mPz9XwR4tNb';

const find = (id: string) => fakeDb.state.users.find((user) => String(user.id) === id);

function profileName(profileId: number | null): string | null {
  return fakeDb.state.profiles.find((profile) => profile.id === profileId)?.name ?? null;
}

function matches(user: User, url: URL): boolean {
  const q = url.searchParams.get('q')?.trim().toLowerCase();
  const role = url.searchParams.get('role');
  const profileId = url.searchParams.get('profileId');
  const group = url.searchParams.get('group');
  if (
    q &&
    ![user.username, user.displayName, user.extension, user.email ?? ''].some((text) =>
      text.toLowerCase().includes(q),
    )
  )
    return false;
  if (role && user.role !== role) return false;
  if (profileId && String(user.profileId) !== profileId) return false;
  if (group && !user.groups.includes(group)) return false;
  return true;
}

export const userHandlers = [
  http.get('/api/users', ({ request }) => {
    const url = new URL(request.url);
    const found = fakeDb.state.users
      .filter((user) => matches(user, url))
      .sort((a, b) => a.username.localeCompare(b.username));
    return HttpResponse.json<UserList>(pageOf(found, url));
  }),
  http.post('/api/users', async ({ request }) => {
    const parsed = userCreateSchema.safeParse(await request.json());
    if (!parsed.success)
      return apiError(400, { code: 'validation_failed', message: 'Please correct the request.' });
    const now = new Date().toISOString();
    const user: User = {
      id: fakeDb.newId(),
      ...parsed.data,
      profileName: profileName(parsed.data.profileId),
      groups: [],
      createdAt: now,
      updatedAt: now,
    };
    fakeDb.state.users.push(user);
    return HttpResponse.json<UserWithPassword>({ user, password: FAKE_PASSWORD }, { status: 201 });
  }),
  http.get<IdParams>('/api/users/:id', ({ params }) => {
    const user = find(params.id);
    return user ? HttpResponse.json<User>(user) : notFound(`User ${params.id}`);
  }),
  http.patch<IdParams>('/api/users/:id', async ({ params, request }) => {
    const user = find(params.id);
    if (!user) return notFound(`User ${params.id}`);
    const parsed = userUpdateSchema.safeParse(await request.json());
    if (!parsed.success)
      return apiError(400, { code: 'validation_failed', message: 'Please correct the request.' });
    const change = Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined));
    Object.assign(user, change, { updatedAt: new Date().toISOString() });
    user.profileName = profileName(user.profileId);
    return HttpResponse.json<User>(user);
  }),
  http.post<IdParams>('/api/users/:id/password', ({ params }) => {
    const user = find(params.id);
    return user
      ? HttpResponse.json<UserWithPassword>({ user, password: FAKE_PASSWORD })
      : notFound(`User ${params.id}`);
  }),
  http.delete<IdParams>('/api/users/:id', ({ params }) => {
    const user = find(params.id);
    if (!user) return notFound(`User ${params.id}`);
    const state = fakeDb.state;
    state.users = state.users.filter((candidate) => candidate !== user);
    for (const group of state.groups) group.members = group.members.filter((member) => member.id !== user.id);
    return new HttpResponse(null, { status: 204 });
  }),
];
