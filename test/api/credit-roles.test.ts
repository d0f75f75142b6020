import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeAccountBalance, changeProfileCredit } from '../../server/store/credit-repository';
import { insertRate } from '../../server/store/rates-repository';
import type { ApiClient } from './support/api-client';
import { expectApiError } from './support/expect-error';
import { everyone, from, signInEveryone, type Who } from './support/roles';
import { makeProfile } from './support/fixtures';
import { startTestServer, type TestServer } from './support/test-server';

/**
 * Every credit and rate route × every role, and signed out, written from the policy
 * (contracts/policy/console-access.ts): supervisors read credit and rates and move credit on
 * profiles other than their own; admins manage the account and the rates.
 */
let server: TestServer;
const clients = new Map<Who, ApiClient>();
let prefix = 0;

beforeAll(async () => {
  server = await startTestServer();
  await signInEveryone(server, clients);
  await changeAccountBalance(server.db, 1_000_000);
});
afterAll(async () => {
  await server?.close();
});

/** A profile holding a euro, no demo user on it. */
async function fundedProfile(): Promise<number> {
  const { id } = await makeProfile(server.db);
  await changeProfileCredit(server.db, id, 100);
  return id;
}

async function rateId(): Promise<number> {
  return insertRate(server.db, {
    prefix: `+7${String(++prefix).padStart(4, '0')}`,
    description: '',
    priceMicros: 10_000,
    firstIncrement: 60,
    nextIncrement: 60,
  });
}

type Case = {
  route: string;
  target: () => Promise<{ path: string; json?: unknown; raw?: string }>;
  expected: Record<Who, number>;
};

const cases: Case[] = [
  {
    route: 'GET /api/credit',
    target: async () => ({ path: '/api/credit' }),
    expected: from('supervisor', 200),
  },
  {
    route: 'PATCH /api/credit',
    target: async () => ({ path: '/api/credit', json: { currency: 'EUR' } }),
    expected: from('admin', 200),
  },
  {
    route: 'POST /api/credit/adjustments',
    target: async () => ({ path: '/api/credit/adjustments', json: { kind: 'add', amount: '1.00' } }),
    expected: from('admin', 200),
  },
  {
    route: 'POST /api/credit/profiles/{id}/allocate',
    target: async () => ({
      path: `/api/credit/profiles/${await fundedProfile()}/allocate`,
      json: { amount: '0.10' },
    }),
    expected: from('supervisor', 200),
  },
  {
    route: 'POST /api/credit/profiles/{id}/take-back',
    target: async () => ({
      path: `/api/credit/profiles/${await fundedProfile()}/take-back`,
      json: { amount: '0.10' },
    }),
    expected: from('supervisor', 200),
  },
  {
    route: 'GET /api/rates',
    target: async () => ({ path: '/api/rates' }),
    expected: from('supervisor', 200),
  },
  {
    route: 'GET /api/rates/export.csv',
    target: async () => ({ path: '/api/rates/export.csv' }),
    expected: from('supervisor', 200),
  },
  {
    route: 'POST /api/rates',
    target: async () => ({
      path: '/api/rates',
      json: { prefix: `+8${String(++prefix).padStart(4, '0')}`, pricePerMinute: '1' },
    }),
    expected: from('admin', 201),
  },
  {
    route: 'PATCH /api/rates/{id}',
    target: async () => ({ path: `/api/rates/${await rateId()}`, json: { description: 'x' } }),
    expected: from('admin', 200),
  },
  {
    route: 'DELETE /api/rates/{id}',
    target: async () => ({ path: `/api/rates/${await rateId()}` }),
    expected: from('admin', 204),
  },
  {
    route: 'PUT /api/rates/import.csv',
    target: async () => ({
      path: '/api/rates/import.csv',
      raw: 'prefix,description,price_per_minute,first_increment,next_increment\n+49,Germany,0.02,60,60\n',
    }),
    expected: from('admin', 200),
  },
];

describe.each(cases)('$route', (routeCase) => {
  it.each(everyone)('%s', async (who) => {
    const expected = routeCase.expected[who];
    const { path, json, raw } = await routeCase.target();
    const client = clients.get(who);
    if (!client) throw new Error(`no client for ${who}`);
    const response = await client.request(
      routeCase.route.split(' ')[0] ?? 'GET',
      path,
      raw !== undefined ? { raw, contentType: 'text/csv' } : json === undefined ? {} : { json },
    );
    if (expected >= 400) {
      const error = expectApiError(response, expected);
      expect(error.code).toBe(expected === 401 ? 'unauthenticated' : 'forbidden');
      if (expected === 403)
        expect(error.message).toMatch(
          /^This needs the (supervisor|admin) role or higher; you are signed in as an? \w+\.$/,
        );
    } else {
      expect(response.status, response.text).toBe(expected);
    }
  });
});

describe('the OpenAPI document', () => {
  it('lists the credit and rate routes', async () => {
    const doc = await server.client().get<{ paths: Record<string, unknown> }>('/api/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/credit',
        '/credit/adjustments',
        '/credit/profiles/{id}/allocate',
        '/credit/profiles/{id}/take-back',
        '/rates',
        '/rates/{id}',
        '/rates/export.csv',
        '/rates/import.csv',
      ]),
    );
  });
});
