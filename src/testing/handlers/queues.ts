import { http, HttpResponse } from 'msw';
import {
  queueCreateSchema,
  queueUpdateSchema,
  type Queue,
  type QueueCreate,
  type Wallboard,
} from '../../../contracts/queues';
import { fakeDb } from '../fake-db';
import { apiError, conflictOn, notFound, validationFailed } from './api-errors';
import { requireRoleOf } from './roles';

type IdParams = { id: string };

const find = (id: string) => fakeDb.state.queues.find((queue) => String(queue.id) === id);

/** Name and extension unique, the extension nobody's phone: the server's sentences (queue-checks.ts). */
function uniqueness(change: { name?: string; extension?: string }, ownId?: number): Response | null {
  const { queues, users } = fakeDb.state;
  if (change.name !== undefined && queues.some((q) => q.name === change.name && q.id !== ownId))
    return conflictOn('name', `A queue named ${change.name} already exists.`);
  if (change.extension !== undefined) {
    const user = users.find((candidate) => candidate.extension === change.extension);
    if (user)
      return conflictOn(
        'extension',
        `Extension ${change.extension} belongs to the user ${user.username}; choose another for the queue.`,
      );
    const queue = queues.find((q) => q.extension === change.extension && q.id !== ownId);
    if (queue)
      return conflictOn(
        'extension',
        `Extension ${change.extension} belongs to the queue ${queue.name}; choose another.`,
      );
  }
  return null;
}

/** Members that exist, once each; an overflow to an existing queue (not itself) or user. */
function references(
  change: Partial<Pick<QueueCreate, 'members' | 'overflow'>>,
  ownId?: number,
): Response | null {
  const { users, groups, queues } = fakeDb.state;
  const fields: Record<string, string> = {};
  const seen = new Set<string>();
  change.members?.forEach((member, index) => {
    const [key, id, exists] =
      member.kind === 'user'
        ? (['userId', member.userId, users.some((u) => u.id === member.userId)] as const)
        : (['groupId', member.groupId, groups.some((g) => g.id === member.groupId)] as const);
    const what = `${member.kind === 'user' ? 'User' : 'Group'} ${id}`;
    if (!exists) fields[`members.${index}.${key}`] = `${what} does not exist`;
    else if (seen.has(`${key}:${id}`)) fields[`members.${index}.${key}`] = `${what} is listed twice`;
    seen.add(`${key}:${id}`);
  });
  const overflow = change.overflow;
  if (overflow?.kind === 'queue') {
    if (overflow.queueId === ownId) fields['overflow.queueId'] = 'A queue cannot overflow to itself';
    else if (!queues.some((q) => q.id === overflow.queueId))
      fields['overflow.queueId'] = `Queue ${overflow.queueId} does not exist`;
  } else if (overflow?.kind === 'user' && !users.some((u) => u.id === overflow.userId)) {
    fields['overflow.userId'] = `User ${overflow.userId} does not exist`;
  }
  const messages = Object.values(fields);
  if (messages.length === 0) return null;
  return apiError(400, {
    code: 'validation_failed',
    message: `Please correct the queue: ${messages.join('; ')}.`,
    fields,
  });
}

/** Members as the answer shows them, with usernames and group names. */
function shownMembers(members: QueueCreate['members']): Queue['members'] {
  return members.map((member) =>
    member.kind === 'user'
      ? {
          ...member,
          username: fakeDb.state.users.find((u) => u.id === member.userId)?.username ?? '',
        }
      : { ...member, name: fakeDb.state.groups.find((g) => g.id === member.groupId)?.name ?? '' },
  );
}

export const queueHandlers = [
  http.get('/api/queues/wallboard', () => {
    const refused = requireRoleOf('operator');
    if (refused) return refused;
    return HttpResponse.json<Wallboard>(fakeDb.state.wallboard);
  }),
  http.get('/api/queues', () => {
    const refused = requireRoleOf('supervisor');
    if (refused) return refused;
    return HttpResponse.json<{ items: Queue[] }>({ items: fakeDb.state.queues });
  }),
  http.post('/api/queues', async ({ request }) => {
    const refused = requireRoleOf('supervisor');
    if (refused) return refused;
    const parsed = queueCreateSchema.safeParse(await request.json());
    if (!parsed.success) return validationFailed(parsed.error);
    const input = parsed.data;
    const problem = references(input) ?? uniqueness(input);
    if (problem) return problem;
    const now = new Date().toISOString();
    const queue: Queue = {
      id: fakeDb.newId(),
      ...input,
      members: shownMembers(input.members),
      createdAt: now,
      updatedAt: now,
    };
    fakeDb.state.queues.push(queue);
    return HttpResponse.json<Queue>(queue, { status: 201 });
  }),
  http.patch<IdParams>('/api/queues/:id', async ({ params, request }) => {
    const refused = requireRoleOf('supervisor');
    if (refused) return refused;
    const queue = find(params.id);
    if (!queue) return notFound(`Queue ${params.id}`);
    const parsed = queueUpdateSchema.safeParse(await request.json());
    if (!parsed.success) return validationFailed(parsed.error);
    const { members, ...change } = parsed.data;
    const problem = references(parsed.data, queue.id) ?? uniqueness(change, queue.id);
    if (problem) return problem;
    const defined = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
    Object.assign(queue, defined, members ? { members: shownMembers(members) } : {}, {
      updatedAt: new Date().toISOString(),
    });
    return HttpResponse.json<Queue>(queue);
  }),
  http.delete<IdParams>('/api/queues/:id', ({ params }) => {
    const refused = requireRoleOf('supervisor');
    if (refused) return refused;
    const queue = find(params.id);
    if (!queue) return notFound(`Queue ${params.id}`);
    const feeding = fakeDb.state.queues.filter(
      (other) => other.overflow.kind === 'queue' && other.overflow.queueId === queue.id,
    );
    if (feeding.length)
      return apiError(409, {
        code: 'conflict',
        message: `Calls overflow from ${feeding.map((q) => q.name).join(', ')} to ${queue.name}; send them elsewhere before deleting it.`,
      });
    fakeDb.state.queues = fakeDb.state.queues.filter((candidate) => candidate !== queue);
    return new HttpResponse(null, { status: 204 });
  }),
];
