import { http, HttpResponse } from 'msw';
import { groupCreateSchema, type Group, type GroupList } from '../../../contracts/groups';
import { fakeDb } from '../fake-db';
import { fakeSession } from '../fake-session';
import { apiError, notFound } from './api-errors';
import { cannotMonitor } from './monitor';

type IdParams = { id: string };
type MemberParams = { id: string; userId: string };

const find = (id: string) => fakeDb.state.groups.find((group) => String(group.id) === id);

async function nameFrom(request: Request) {
  return groupCreateSchema.safeParse(await request.json());
}

export const groupHandlers = [
  http.get('/api/groups', () => HttpResponse.json<GroupList>({ items: fakeDb.state.groups })),
  http.post('/api/groups', async ({ request }) => {
    const parsed = await nameFrom(request);
    if (!parsed.success)
      return apiError(400, { code: 'validation_failed', message: 'Please correct the request.' });
    const group: Group = {
      id: fakeDb.newId(),
      name: parsed.data.name,
      members: [],
      bargeProfiles: [],
      createdAt: new Date().toISOString(),
    };
    fakeDb.state.groups.push(group);
    return HttpResponse.json<Group>(group, { status: 201 });
  }),
  http.get<IdParams>('/api/groups/:id', ({ params }) => {
    const group = find(params.id);
    return group ? HttpResponse.json<Group>(group) : notFound(`Group ${params.id}`);
  }),
  http.patch<IdParams>('/api/groups/:id', async ({ params, request }) => {
    const group = find(params.id);
    if (!group) return notFound(`Group ${params.id}`);
    const parsed = await nameFrom(request);
    if (!parsed.success)
      return apiError(400, { code: 'validation_failed', message: 'Please correct the request.' });
    const before = group.name;
    group.name = parsed.data.name;
    for (const profile of fakeDb.state.profiles)
      if (profile.bargeGroup === before) profile.bargeGroup = group.name;
    for (const user of fakeDb.state.users)
      user.groups = user.groups.map((name) => (name === before ? group.name : name));
    return HttpResponse.json<Group>(group);
  }),
  http.delete<IdParams>('/api/groups/:id', ({ params }) => {
    const group = find(params.id);
    if (!group) return notFound(`Group ${params.id}`);
    const state = fakeDb.state;
    state.groups = state.groups.filter((candidate) => candidate !== group);
    for (const profile of state.profiles) if (profile.bargeGroup === group.name) profile.bargeGroup = null;
    for (const user of state.users) user.groups = user.groups.filter((name) => name !== group.name);
    return new HttpResponse(null, { status: 204 });
  }),
  http.put<MemberParams>('/api/groups/:id/members/:userId', ({ params }) => {
    const group = find(params.id);
    const user = fakeDb.state.users.find((candidate) => String(candidate.id) === params.userId);
    if (!group) return notFound(`Group ${params.id}`);
    if (!user) return notFound(`User ${params.userId}`);
    const me = fakeSession.current();
    const own = fakeDb.state.profiles.find((profile) => profile.id === me?.user.profileId)?.bargeGroup;
    const refusal = me && own === group.name ? cannotMonitor(me, user) : null;
    if (refusal)
      return apiError(403, {
        code: 'forbidden',
        message:
          user.id === me?.user.id
            ? `You cannot monitor your own calls, so you cannot join your barge group ${group.name}.`
            : `${refusal}, so they cannot join your barge group ${group.name}.`,
      });
    if (!group.members.some((member) => member.id === user.id)) {
      const { id, username, displayName, extension } = user;
      group.members = [...group.members, { id, username, displayName, extension }].sort((a, b) =>
        a.username.localeCompare(b.username),
      );
      user.groups = [...user.groups, group.name].sort();
    }
    return HttpResponse.json<Group>(group);
  }),
  http.delete<MemberParams>('/api/groups/:id/members/:userId', ({ params }) => {
    const group = find(params.id);
    const user = fakeDb.state.users.find((candidate) => String(candidate.id) === params.userId);
    if (!group) return notFound(`Group ${params.id}`);
    if (!user) return notFound(`User ${params.userId}`);
    group.members = group.members.filter((member) => member.id !== user.id);
    user.groups = user.groups.filter((name) => name !== group.name);
    return HttpResponse.json<Group>(group);
  }),
];
