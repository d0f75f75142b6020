import { matchRequestUrl } from 'msw';
import type { SetupServer } from 'msw/node';
import type { LiveEvent } from '../../contracts/events';
import { FakeEventSource } from './fake-event-source';
import { fakeSession } from './fake-session';

type Params = Record<string, string | readonly string[] | undefined>;
/** The events of one route, from its path's parameters, its answer and the signed-in user's id. */
type Published = (params: Params, answer: unknown, me: number | null) => LiveEvent[];

const id = (value: string | readonly string[] | undefined): number | string | null => {
  if (typeof value !== 'string') return null;
  return /^\d+$/.test(value) ? Number(value) : value;
};
/** A created row's id, from the answer (`{id}` or `{user: {id}}`). */
const createdId = (answer: unknown): number | null => {
  if (typeof answer !== 'object' || answer === null) return null;
  const record = answer as { id?: unknown; user?: { id?: unknown } };
  const found = typeof record.id === 'number' ? record.id : record.user?.id;
  return typeof found === 'number' ? found : null;
};
const one =
  (entity: LiveEvent['entity'], from: 'param' | 'answer' | 'none' = 'param', param = 'id'): Published =>
  (params, answer) => [
    { entity, id: from === 'param' ? id(params[param]) : from === 'answer' ? createdId(answer) : null },
  ];

/**
 * What the server publishes on `/api/events` after each mutation succeeds, by method and path
 * (server/http/…/routes.ts; the audit entry each one writes publishes `audit` too). Kept in one
 * place so the msw fakes tell the app what the real server would, and lists refresh the same way.
 */
const published: readonly { method: string; path: string; events: Published; audited?: false }[] = [
  { method: 'POST', path: '/api/users', events: one('user', 'answer') },
  {
    method: 'PATCH',
    path: '/api/users/:id',
    events: (params) => [
      { entity: 'user', id: id(params.id) },
      { entity: 'profile', id: null },
    ],
  },
  { method: 'POST', path: '/api/users/:id/password', events: one('user') },
  {
    method: 'DELETE',
    path: '/api/users/:id',
    events: (params) => [
      { entity: 'user', id: id(params.id) },
      { entity: 'group', id: null },
      { entity: 'profile', id: null },
    ],
  },
  { method: 'POST', path: '/api/profiles', events: one('profile', 'answer') },
  { method: 'PATCH', path: '/api/profiles/:id', events: one('profile') },
  {
    method: 'DELETE',
    path: '/api/profiles/:id',
    events: (params) => [
      { entity: 'profile', id: id(params.id) },
      { entity: 'user', id: null },
      { entity: 'call', id: null },
      { entity: 'credit', id: null },
      { entity: 'number', id: null },
    ],
  },
  { method: 'POST', path: '/api/groups', events: one('group', 'answer') },
  {
    method: 'PATCH',
    path: '/api/groups/:id',
    events: (params) => [
      { entity: 'group', id: id(params.id) },
      { entity: 'profile', id: null },
    ],
  },
  {
    method: 'DELETE',
    path: '/api/groups/:id',
    events: (params) => [
      { entity: 'group', id: id(params.id) },
      { entity: 'profile', id: null },
      { entity: 'user', id: null },
    ],
  },
  ...(['PUT', 'DELETE'] as const).map((method) => ({
    method,
    path: '/api/groups/:id/members/:userId',
    events: (params: Params): LiveEvent[] => [
      { entity: 'group', id: id(params.id) },
      { entity: 'user', id: id(params.userId) },
    ],
  })),
  ...crud('/api/trunks', 'trunk'),
  ...crud('/api/numbers', 'number'),
  ...crud('/api/queues', 'queue'),
  ...crud('/api/reason-codes', 'reason_code'),
  ...crud('/api/rates', 'rate'),
  { method: 'PUT', path: '/api/rates/import.csv', events: one('rate', 'none') },
  {
    method: 'PATCH',
    path: '/api/credit',
    events: () => [
      { entity: 'credit', id: null },
      { entity: 'rate', id: null },
    ],
  },
  { method: 'POST', path: '/api/credit/adjustments', events: one('credit', 'none') },
  { method: 'POST', path: '/api/credit/profiles/:id/:direction', events: one('credit') },
  ...(['POST', 'PATCH', 'DELETE'] as const).flatMap((method) => [
    {
      method,
      path: method === 'POST' ? '/api/users/:id/devices' : '/api/users/:id/devices/:deviceId',
      events: one('device'),
    },
    {
      method,
      path: method === 'POST' ? '/api/me/devices' : '/api/me/devices/:deviceId',
      events: (_params: Params, _answer: unknown, me: number | null): LiveEvent[] => [
        { entity: 'device', id: me },
      ],
    },
  ]),
  // Dropping the seat removes the registration, which the edge publishes.
  { method: 'DELETE', path: '/api/seats/:id', events: one('registration') },
  {
    method: 'PUT',
    path: '/api/me/state',
    events: (_params, _answer, me) => [{ entity: 'agent', id: me }],
    audited: false,
  },
  { method: 'PUT', path: '/api/calls/:callId/wrap-up', events: one('call', 'param', 'callId') },
  { method: 'POST', path: '/api/recordings', events: one('call', 'none') },
  // A chunk of a recording in progress changes nothing a list shows.
  { method: 'PUT', path: '/api/recordings/:id/chunks/:seq', events: () => [], audited: false },
  { method: 'POST', path: '/api/recordings/:id/marks', events: one('call', 'none') },
  { method: 'POST', path: '/api/recordings/:id/finish', events: one('call', 'none') },
  { method: 'DELETE', path: '/api/recordings/:id', events: one('call', 'none') },
  // Signing out ends the session's SIP credentials.
  {
    method: 'DELETE',
    path: '/api/session',
    events: (_params, _answer, me) => (me === null ? [] : [{ entity: 'user', id: me }]),
    audited: false,
  },
];

function crud(path: string, entity: LiveEvent['entity']) {
  return [
    { method: 'POST', path, events: one(entity, 'answer') },
    { method: 'PATCH', path: `${path}/:id`, events: one(entity) },
    { method: 'DELETE', path: `${path}/:id`, events: one(entity) },
  ];
}

/** Whether the table above describes this route (`/api/users/:id` form); the API tests check every mutation is. */
export function describesMutation(method: string, path: string): boolean {
  const url = new URL(path, 'http://localhost');
  return published.some(
    (route) => route.method === method && matchRequestUrl(url, route.path, url.origin).matches,
  );
}

/** The events the server publishes for a mutation that succeeded; none for reads or unknown paths. */
export function eventsFor(method: string, url: URL, answer: unknown, me: number | null): LiveEvent[] {
  for (const route of published) {
    if (route.method !== method) continue;
    const match = matchRequestUrl(url, route.path, url.origin);
    if (!match.matches) continue;
    const events = route.events(match.params as Params, answer, me);
    return route.audited === false ? events : [...events, { entity: 'audit', id: null }];
  }
  return [];
}

async function answerOf(response: Response): Promise<unknown> {
  if (!response.headers.get('Content-Type')?.includes('json')) return undefined;
  return response.json().catch(() => undefined);
}

/**
 * After each mocked mutation that succeeds, pushes the server's events to the app's open live
 * streams, as the real server does, so the screens refresh the way they do in production.
 */
export function publishMutationEvents(server: SetupServer): void {
  server.events.on('response:mocked', ({ request, response }) => {
    if (!response.ok || request.method === 'GET' || request.method === 'HEAD') return;
    const url = new URL(request.url);
    const method = request.method;
    // Read now: signing out forgets the user before the answer's body is read.
    const me = fakeSession.current()?.user.id ?? null;
    void answerOf(response.clone()).then((answer) => {
      const events = eventsFor(method, url, answer, me);
      for (const source of FakeEventSource.open()) for (const event of events) source.emit('change', event);
    });
  });
}
