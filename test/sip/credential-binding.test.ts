import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sipCredentialsSchema, type SipCredentials } from '../../contracts/sip';
import { loadCredentialSecret } from '../../server/sip/auth/credential-secret';
import { ephemeralPassword } from '../../server/sip/auth/ephemeral-credentials';
import { findUserByUsername } from '../../server/store/users-repository';
import { ApiClient } from '../api/support/api-client';
import { startEdgeServer, type EdgeTestServer } from './edge-test-server';
import { RawSipClient, register } from './raw-sip-client';

// The short-lived SIP credentials a web session gets live no longer than what they were issued
// for: signing out, a password reset, a new role or profile end them, and the registrations made
// with them are dropped at once.

let server: EdgeTestServer;
const clients: RawSipClient[] = [];

beforeAll(async () => {
  server = await startEdgeServer();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.terminate();
});
afterAll(async () => {
  await server.stop();
});

async function signedIn(username: string): Promise<ApiClient> {
  const api = new ApiClient(server.url);
  expect((await api.signIn(username, server.passwords.get(username) ?? '')).status).toBe(200);
  return api;
}

async function credentialsOf(api: ApiClient): Promise<SipCredentials> {
  const response = await api.get('/api/sip/credentials');
  expect(response.status).toBe(200);
  return sipCredentialsSchema.parse(response.body);
}

/** REGISTER on a new connection with the credentials; the final status. */
async function registerWith(credentials: SipCredentials): Promise<{ status: number; client: RawSipClient }> {
  const client = await RawSipClient.connect(server.wsUrl);
  clients.push(client);
  const response = await register(client, {
    domain: credentials.domain,
    user: credentials.authorizationUser,
    authUser: credentials.username,
    password: credentials.password,
  });
  return { status: response.status, client };
}

const seatsOf = (username: string) =>
  server.edge.control.listSeats().filter((seat) => seat.username === username);

async function userId(username: string): Promise<number> {
  const user = await findUserByUsername(server.db, username);
  if (!user) throw new Error(`no user ${username}`);
  return user.id;
}

describe('short-lived SIP credentials are bound to the web session', () => {
  it('register while signed in; after sign-out they are refused and the registration is dropped', async () => {
    const api = await signedIn('agent1');
    const credentials = await credentialsOf(api);
    const { status, client } = await registerWith(credentials);
    expect(status).toBe(200);
    expect(seatsOf('agent1')).toHaveLength(1);

    expect((await api.delete('/api/session')).status).toBe(204);
    expect(seatsOf('agent1')).toHaveLength(0);
    expect(await client.closed).toBeGreaterThan(0);
    expect((await registerWith(credentials)).status).toBe(401);

    // Signing in again gives credentials that work.
    const again = await credentialsOf(await signedIn('agent1'));
    expect((await registerWith(again)).status).toBe(200);
  });

  it('are refused after an admin resets the password, and the registration is dropped', async () => {
    const api = await signedIn('agent2');
    const credentials = await credentialsOf(api);
    const { status, client } = await registerWith(credentials);
    expect(status).toBe(200);

    const admin = await signedIn('admin');
    const reset = await admin.post<{ password: string }>(`/api/users/${await userId('agent2')}/password`);
    expect(reset.status).toBe(200);
    expect(seatsOf('agent2')).toHaveLength(0);
    expect(await client.closed).toBeGreaterThan(0);
    expect((await registerWith(credentials)).status).toBe(401);
    expect((await api.get('/api/sip/credentials')).status).toBe(401);

    const fresh = new ApiClient(server.url);
    expect((await fresh.signIn('agent2', reset.body.password)).status).toBe(200);
    expect((await registerWith(await credentialsOf(fresh))).status).toBe(200);
  });

  it('are refused after a role change, and the registration is dropped; the session gets new ones', async () => {
    const api = await signedIn('agent3');
    const credentials = await credentialsOf(api);
    const { client } = await registerWith(credentials);
    const admin = await signedIn('admin');
    const id = await userId('agent3');
    expect((await admin.patch(`/api/users/${id}`, { json: { role: 'operator' } })).status).toBe(200);
    try {
      expect(seatsOf('agent3')).toHaveLength(0);
      expect(await client.closed).toBeGreaterThan(0);
      expect((await registerWith(credentials)).status).toBe(401);
      expect((await registerWith(await credentialsOf(api))).status).toBe(200);
    } finally {
      await admin.patch(`/api/users/${id}`, { json: { role: 'agent' } });
    }
  });

  it('a username without the generation, or with another one, is refused even with a valid signature', async () => {
    const credentials = await credentialsOf(await signedIn('operator'));
    expect(credentials.username).toMatch(/^[0-9]+:operator:[0-9]+$/);
    const [expiry, user, generation] = credentials.username.split(':');
    const secret = await loadCredentialSecret(server.db);
    for (const username of [`${expiry}:${user}`, `${expiry}:${user}:${Number(generation) + 1}`]) {
      const forged = { ...credentials, username, password: ephemeralPassword(secret, username) };
      expect((await registerWith(forged)).status, username).toBe(401);
    }
  });
});
