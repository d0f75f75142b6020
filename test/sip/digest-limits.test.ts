import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SipResponse } from '../../server/sip/message/sip-message';
import { loopbackAddress, signInFrom } from '../api/support/from-address';
import { startEdgeServer, type EdgeTestServer } from './edge-test-server';
import { digestAnswer, newCallId, newTag, RawSipClient, register } from './raw-sip-client';

// Password guessing over SIP digest: counted per user and address across connections, in the
// same limiter as the web sign-in. Each test uses its own loopback addresses.
const MAX_FAILURES = 5;
const LOCKED = /^Too many wrong passwords; try again in (\d+) seconds$/;
let server: EdgeTestServer;
const clients: RawSipClient[] = [];

beforeAll(async () => {
  server = await startEdgeServer({ signInMaxFailures: MAX_FAILURES, signInWindowMs: 600_000 });
});
afterAll(async () => {
  for (const client of clients) client.terminate();
  await server.stop();
});

const domain = () => server.config.sipDomain;
const password = (user: string) => server.passwords.get(user) ?? '';

async function connectFrom(address: string): Promise<RawSipClient> {
  const client = await RawSipClient.connect(server.wsUrl, {}, { localAddress: address });
  clients.push(client);
  return client;
}

/** One REGISTER round trip on a new connection from `address`. */
async function registerFrom(
  address: string,
  user: string,
  secret: string,
  authUser?: string,
): Promise<SipResponse> {
  const client = await connectFrom(address);
  const response = await register(client, { domain: domain(), user, authUser, password: secret });
  client.close();
  return response;
}

/** Sends REGISTER, takes the 401, and returns a function that answers it with `secret`. */
async function challenged(
  client: RawSipClient,
  user: string,
): Promise<(secret: string) => Promise<SipResponse>> {
  const callId = newCallId();
  const aor = `<sip:${user}@${domain()}>`;
  const base = {
    method: 'REGISTER',
    uri: `sip:${domain()}`,
    from: `${aor};tag=${newTag()}`,
    to: aor,
    callId,
    headers: [['Contact', `${client.contact};expires=600`]] as [string, string][],
  };
  client.send({ ...base, cseq: 1 });
  const challenge = await client.response(callId, 'REGISTER');
  expect(challenge.status).toBe(401);
  const offer = challenge.headers.getAll('www-authenticate').find((o) => o.includes('algorithm=MD5')) ?? '';
  return (secret) => {
    const authorization = digestAnswer({
      challenge: offer,
      username: user,
      password: secret,
      method: 'REGISTER',
      uri: base.uri,
    });
    client.send({ ...base, cseq: 2, headers: [...base.headers, ['Authorization', authorization]] });
    return client.response(callId, 'REGISTER');
  };
}

describe('SIP digest guesses', () => {
  it('spread over many connections from one address: 403 with the reason after the limit', async () => {
    const address = loopbackAddress(11);
    const answers: SipResponse[] = [];
    for (let i = 0; i < MAX_FAILURES + 3; i++)
      answers.push(await registerFrom(address, 'agent1', `guess-${i}`));
    expect(answers.map((a) => a.status)).toEqual([
      ...Array<number>(MAX_FAILURES - 1).fill(401),
      ...Array<number>(4).fill(403),
    ]);
    for (const refused of answers.slice(MAX_FAILURES - 1)) {
      const seconds = Number(LOCKED.exec(refused.reason)?.[1]);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(600);
    }
    // Locked from this address, even with the right password…
    const locked = await registerFrom(address, 'agent1', password('agent1'));
    expect(locked.status).toBe(403);
    expect(locked.reason).toMatch(LOCKED);
    // …but the user's phone elsewhere still registers.
    expect((await registerFrom(loopbackAddress(12), 'agent1', password('agent1'))).status).toBe(200);
  });

  it('sent at once on 30 connections: only the limit are checked, the rest get 403 unchecked', async () => {
    const address = loopbackAddress(21);
    const connections = await Promise.all(Array.from({ length: 30 }, () => connectFrom(address)));
    const answerers = await Promise.all(connections.map((c) => challenged(c, 'agent2')));
    const answers = await Promise.all(answerers.map((answer, i) => answer(`guess-${i}`)));
    const statuses = answers.map((a) => a.status);
    // MAX_FAILURES are checked: the first ones are challenged again, the one that reaches the
    // limit and every one after it are refused.
    expect(statuses.filter((s) => s === 401)).toHaveLength(MAX_FAILURES - 1);
    expect(statuses.filter((s) => s === 403)).toHaveLength(30 - (MAX_FAILURES - 1));
    for (const answer of answers.filter((a) => a.status === 403)) expect(answer.reason).toMatch(LOCKED);
  });

  it('wrong short-lived (web session) credentials count for the address', async () => {
    const address = loopbackAddress(31);
    const expiry = Math.floor(Date.now() / 1000) + 3600;
    const statuses: number[] = [];
    // Per address the limit is 4 × SIGNIN_MAX_FAILURES, whatever the user.
    for (let i = 0; i < 4 * MAX_FAILURES; i++)
      statuses.push((await registerFrom(address, 'agent3', `forged-${i}`, `${expiry}:agent3`)).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(4 * MAX_FAILURES - 1);
    expect(statuses.at(-1)).toBe(403);
    const other = await registerFrom(address, 'admin', password('admin'));
    expect(other.status).toBe(403);
    expect(other.reason).toMatch(LOCKED);
  });
});

describe('one limiter for the web sign-in and the phones', () => {
  it('wrong web sign-ins lock SIP REGISTER from that address', async () => {
    const address = loopbackAddress(41);
    for (let i = 0; i < MAX_FAILURES; i++)
      expect((await signInFrom(address, server.url, 'operator', `wrong-${i}`)).status).toBe(401);
    const refused = await registerFrom(address, 'operator', password('operator'));
    expect(refused.status).toBe(403);
    expect(refused.reason).toMatch(LOCKED);
  });

  it('wrong SIP passwords lock the web sign-in from that address (429)', async () => {
    const address = loopbackAddress(42);
    for (let i = 0; i < MAX_FAILURES; i++) await registerFrom(address, 'supervisor', `guess-${i}`);
    const refused = await signInFrom(address, server.url, 'supervisor', password('supervisor'));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(
      (await signInFrom(loopbackAddress(43), server.url, 'supervisor', password('supervisor'))).status,
    ).toBe(200);
  });
});
