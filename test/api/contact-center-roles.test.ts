import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/store/database';
import { insertQueue } from '../../server/store/queues-repository';
import { insertReasonCode } from '../../server/store/reason-codes-repository';
import type { ApiClient } from './support/api-client';
import { expectApiError } from './support/expect-error';
import { everyone, from, signInEveryone, type Who } from './support/roles';
import { uniqueExtension, uniqueName } from './support/fixtures';
import { userId } from './support/snapshot';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * The contact center's routes × every role, and signed out. Expected statuses come from
 * contracts/policy/console-access.ts (queues and reason codes: supervisor; wallboard and agent
 * states: operator; one's own state and history: agent; reports: supervisor), not from what
 * the server answers. This server has no SIP edge, so nobody has a phone.
 */
let server: TestServer;
const clients = new Map<Who, ApiClient>();
let agent2: number;

beforeAll(async () => {
  server = await startTestServer();
  await signInEveryone(server, clients);
  agent2 = await userId(server.db, 'agent2');
});
afterAll(() => server?.close());

async function makeQueue(db: Db): Promise<number> {
  return insertQueue(db, {
    name: uniqueName('q'),
    extension: uniqueExtension(),
    members: [],
    strategy: 'longest_idle',
    ringSeconds: 20,
    maxWaitSeconds: 300,
    overflow: { kind: 'refuse', reason: 'Closed' },
    wrapUpSeconds: 30,
    serviceLevelSeconds: 20,
    dispositions: ['sale'],
  });
}
const makeReasonCode = (db: Db) => insertReasonCode(db, { code: uniqueName('r'), label: 'Break' });

type Case = {
  route: string;
  target: () => Promise<{ path: string; json?: unknown }>;
  expected: Record<Who, number>;
};
const fixed = (path: string, json?: unknown) => async () => ({ path, json });

const cases: Case[] = [
  { route: 'GET /api/queues', target: fixed('/api/queues'), expected: from('supervisor', 200) },
  {
    route: 'POST /api/queues',
    target: async () => ({
      path: '/api/queues',
      json: { name: uniqueName('q'), extension: uniqueExtension() },
    }),
    expected: from('supervisor', 201),
  },
  {
    route: 'GET /api/queues/{id}',
    target: async () => ({ path: `/api/queues/${await makeQueue(server.db)}` }),
    expected: from('supervisor', 200),
  },
  {
    route: 'PATCH /api/queues/{id}',
    target: async () => ({ path: `/api/queues/${await makeQueue(server.db)}`, json: { ringSeconds: 15 } }),
    expected: from('supervisor', 200),
  },
  {
    route: 'DELETE /api/queues/{id}',
    target: async () => ({ path: `/api/queues/${await makeQueue(server.db)}` }),
    expected: from('supervisor', 204),
  },
  {
    route: 'GET /api/queues/wallboard',
    target: fixed('/api/queues/wallboard'),
    expected: from('operator', 200),
  },
  { route: 'GET /api/reason-codes', target: fixed('/api/reason-codes'), expected: from('agent', 200) },
  {
    route: 'POST /api/reason-codes',
    target: async () => ({ path: '/api/reason-codes', json: { code: uniqueName('r'), label: 'Training' } }),
    expected: from('supervisor', 201),
  },
  {
    route: 'PATCH /api/reason-codes/{id}',
    target: async () => ({
      path: `/api/reason-codes/${await makeReasonCode(server.db)}`,
      json: { label: 'Coffee' },
    }),
    expected: from('supervisor', 200),
  },
  {
    route: 'DELETE /api/reason-codes/{id}',
    target: async () => ({ path: `/api/reason-codes/${await makeReasonCode(server.db)}` }),
    expected: from('supervisor', 204),
  },
  { route: 'GET /api/me/state', target: fixed('/api/me/state'), expected: from('agent', 200) },
  {
    // Allowed for everyone signed in; refused by the state (no phone here) with a 409.
    route: 'PUT /api/me/state (available, without a phone)',
    target: fixed('/api/me/state', { action: 'available' }),
    expected: from('agent', 409),
  },
  { route: 'GET /api/agent-states', target: fixed('/api/agent-states'), expected: from('operator', 200) },
  {
    route: 'GET /api/agent-states/history (own)',
    target: fixed('/api/agent-states/history'),
    expected: from('agent', 200),
  },
  {
    route: 'GET /api/agent-states/history?userId={agent2, in the operator’s barge group}',
    target: async () => ({ path: `/api/agent-states/history?userId=${agent2}` }),
    expected: from('operator', 200),
  },
  {
    route: 'GET /api/agent-states/history/export.csv (own)',
    target: fixed('/api/agent-states/history/export.csv'),
    expected: from('agent', 200),
  },
  {
    // Allowed for everyone signed in; there is no such queue call.
    route: 'PUT /api/calls/{callId}/wrap-up (no such call)',
    target: fixed('/api/calls/no-such-call/wrap-up', { disposition: 'sale' }),
    expected: from('agent', 404),
  },
  {
    route: 'GET /api/queue-calls (own below supervisor)',
    target: fixed('/api/queue-calls'),
    expected: from('agent', 200),
  },
  {
    route: 'GET /api/queue-calls/export.csv (own below supervisor)',
    target: fixed('/api/queue-calls/export.csv'),
    expected: from('agent', 200),
  },
  {
    route: 'GET /api/queue-calls?agentId={agent2}',
    target: async () => ({ path: `/api/queue-calls?agentId=${agent2}` }),
    expected: from('supervisor', 200),
  },
  {
    route: 'GET /api/reports/queues',
    target: fixed('/api/reports/queues'),
    expected: from('supervisor', 200),
  },
  {
    route: 'GET /api/reports/queues/export.csv',
    target: fixed('/api/reports/queues/export.csv'),
    expected: from('supervisor', 200),
  },
  {
    route: 'GET /api/reports/agents',
    target: fixed('/api/reports/agents'),
    expected: from('supervisor', 200),
  },
  {
    route: 'GET /api/reports/agents/export.csv',
    target: fixed('/api/reports/agents/export.csv'),
    expected: from('supervisor', 200),
  },
];

describe.each(cases)('$route', (routeCase) => {
  it.each(everyone)('%s', async (who) => {
    const expected = routeCase.expected[who];
    const { path, json } = await routeCase.target();
    const client = clients.get(who);
    if (!client) throw new Error(`no client for ${who}`);
    const response = await client.request(
      routeCase.route.split(' ')[0] ?? 'GET',
      path,
      json === undefined ? {} : { json },
    );
    if (expected >= 400) {
      const error = expectApiError(response, expected);
      const code = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 409: 'conflict' }[expected];
      if (code) expect(error.code).toBe(code);
    } else {
      expect(response.status, response.text).toBe(expected);
    }
  });
});

describe('the OpenAPI document', () => {
  it('lists the contact center routes', async () => {
    const doc = await server.client().get<{ paths: Record<string, unknown> }>('/api/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/queues',
        '/queues/{id}',
        '/queues/wallboard',
        '/reason-codes',
        '/reason-codes/{id}',
        '/me/state',
        '/agent-states',
        '/agent-states/history',
        '/calls/{callId}/wrap-up',
        '/queue-calls',
        '/reports/queues',
        '/reports/agents',
      ]),
    );
  });
});
