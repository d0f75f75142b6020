import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayStatusSchema, sipCredentialsSchema } from '../../contracts/sip';
import { startTestServer, type TestServer } from './support/test-server';

// An existing relay (TURN_URLS + TURN_SECRET): the phones get TURN REST credentials with their SIP
// ones, and supervisors see whether it answers. (Nothing listens at these URLs.)
const SECRET = 'relay-api-test-secret';
const URLS = ['turn:127.0.0.1:9?transport=udp', 'turn:127.0.0.1:9?transport=tcp'];

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    env: { TURN_URLS: URLS.join(','), TURN_SECRET: SECRET, ICE_TRANSPORT_POLICY: 'relay' },
  });
});
afterAll(() => server?.close());

describe('the TURN relay through the API', () => {
  it('issues relay credentials with the SIP ones, ending when they end, and the relay-only policy', async () => {
    const agent = await server.signIn('agent1');
    const response = await agent.request('GET', '/api/sip/credentials');
    expect(response.status).toBe(200);
    const credentials = sipCredentialsSchema.parse(response.body);
    const expiry = Math.floor(Date.parse(credentials.expiresAt) / 1000);
    expect(credentials.iceTransportPolicy).toBe('relay');
    expect(credentials.iceServers).toEqual([
      {
        urls: URLS,
        username: `${expiry}:agent1`,
        credential: createHmac('sha1', SECRET).update(`${expiry}:agent1`).digest('base64'),
      },
    ]);
  });

  it('tells supervisors the relay’s state; agents may not ask', async () => {
    const agent = await server.signIn('agent1');
    expect((await agent.request('GET', '/api/relay')).status).toBe(403);
    const supervisor = await server.signIn('supervisor');
    const response = await supervisor.request('GET', '/api/relay');
    expect(response.status).toBe(200);
    expect(relayStatusSchema.parse(response.body)).toMatchObject({
      mode: 'external',
      state: 'unreachable',
      urls: URLS,
      iceTransportPolicy: 'relay',
      problem: 'The relay does not answer at any of its URLs.',
    });
  });
});
