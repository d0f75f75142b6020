import { http, HttpResponse } from 'msw';
import {
  numberCreateSchema,
  numberUpdateSchema,
  type NumberAssignment,
  type PhoneNumber,
  type PhoneNumberList,
} from '../../../contracts/numbers';
import { fakeDb } from '../fake-db';
import { apiError, conflictOn, notFound, validationFailed } from './api-errors';

type IdParams = { id: string };

const find = (id: string) => fakeDb.state.numbers.find((number) => String(number.id) === id);

/**
 * The assignment as the list shows it (whom it rings, by name), or the server's refusal when
 * that user, group or queue does not exist (server/http/numbers/routes.ts, word for word).
 */
function shownAssignment(assignment: NumberAssignment): PhoneNumber['assignment'] | Response {
  if (assignment === null) return null;
  if (assignment.kind === 'user') {
    const user = fakeDb.state.users.find((candidate) => candidate.id === assignment.userId);
    if (user)
      return { kind: 'user', userId: user.id, username: user.username, displayName: user.displayName };
    return missing('assignment.userId', `User ${assignment.userId}`);
  }
  if (assignment.kind === 'queue') {
    const queue = fakeDb.state.queues.find((candidate) => candidate.id === assignment.queueId);
    if (queue) return { kind: 'queue', queueId: queue.id, name: queue.name };
    return missing('assignment.queueId', `Queue ${assignment.queueId}`);
  }
  const group = fakeDb.state.groups.find((candidate) => candidate.id === assignment.groupId);
  if (group) return { kind: 'group', groupId: group.id, name: group.name };
  return missing('assignment.groupId', `Group ${assignment.groupId}`);
}

/** The profile a number is allocated to, by name, or the server's refusal when it does not exist. */
function shownProfile(profileId: number | null): PhoneNumber['profile'] | Response {
  if (profileId === null) return null;
  const profile = fakeDb.state.profiles.find((candidate) => candidate.id === profileId);
  if (profile) return { id: profile.id, name: profile.name };
  return missing('profileId', `Profile ${profileId}`);
}

const missing = (field: string, what: string) =>
  apiError(400, {
    code: 'validation_failed',
    message: `${what} does not exist; choose another.`,
    fields: { [field]: `${what} does not exist` },
  });

export const numberHandlers = [
  http.get('/api/numbers', () => HttpResponse.json<PhoneNumberList>({ items: fakeDb.state.numbers })),
  http.post('/api/numbers', async ({ request }) => {
    const parsed = numberCreateSchema.safeParse(await request.json());
    if (!parsed.success) return validationFailed(parsed.error);
    const { number, label } = parsed.data;
    const taken = fakeDb.state.numbers.find((candidate) => candidate.number === number);
    if (taken)
      return conflictOn(
        'number',
        `The number ${number} is already in the list${taken.label ? ` (${taken.label})` : ''}.`,
      );
    const assignment = shownAssignment(parsed.data.assignment);
    if (assignment instanceof Response) return assignment;
    const profile = shownProfile(parsed.data.profileId);
    if (profile instanceof Response) return profile;
    const now = new Date().toISOString();
    const created: PhoneNumber = {
      id: fakeDb.newId(),
      number,
      label,
      profile,
      assignment,
      createdAt: now,
      updatedAt: now,
    };
    fakeDb.state.numbers.push(created);
    return HttpResponse.json<PhoneNumber>(created, { status: 201 });
  }),
  http.get<IdParams>('/api/numbers/:id', ({ params }) => {
    const number = find(params.id);
    return number ? HttpResponse.json<PhoneNumber>(number) : notFound(`Number ${params.id}`);
  }),
  http.patch<IdParams>('/api/numbers/:id', async ({ params, request }) => {
    const number = find(params.id);
    if (!number) return notFound(`Number ${params.id}`);
    const parsed = numberUpdateSchema.safeParse(await request.json());
    if (!parsed.success) return validationFailed(parsed.error);
    if (parsed.data.assignment !== undefined) {
      const assignment = shownAssignment(parsed.data.assignment);
      if (assignment instanceof Response) return assignment;
      number.assignment = assignment;
    }
    if (parsed.data.profileId !== undefined) {
      const profile = shownProfile(parsed.data.profileId);
      if (profile instanceof Response) return profile;
      number.profile = profile;
    }
    if (parsed.data.label !== undefined) number.label = parsed.data.label;
    number.updatedAt = new Date().toISOString();
    return HttpResponse.json<PhoneNumber>(number);
  }),
  http.delete<IdParams>('/api/numbers/:id', ({ params }) => {
    const number = find(params.id);
    if (!number) return notFound(`Number ${params.id}`);
    fakeDb.state.numbers = fakeDb.state.numbers.filter((candidate) => candidate !== number);
    return new HttpResponse(null, { status: 204 });
  }),
];
