import { RateLimiterMemory } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';
import { SignInLimiter } from '../../auth/sign-in-limiter';
import type { SipAccount } from '../../store/sip-accounts-repository';
import type { SipRequest } from '../message/sip-message';
import { request } from '../transaction/request.fixture';
import type { AccountLookup } from './account-lookup';
import { Authenticator } from './authenticator';
import { computeDigestResponse, computeHa1 } from './digest';
import { NonceManager } from './nonce';

const REALM = 'switchboard.test';
const PASSWORDS: Record<string, string> = { agent1: 'right-one', agent2: 'right-two' };

function account(username: string, userId: number): SipAccount {
  const password = PASSWORDS[username] ?? '';
  return {
    userId,
    username,
    displayName: username,
    extension: String(1000 + userId),
    role: 'agent',
    ha1Md5: computeHa1('MD5', username, REALM, password),
    ha1Sha256: computeHa1('SHA-256', username, REALM, password),
    realm: REALM,
    sipCredentialGeneration: 0,
    profile: null,
  };
}

/** The directory's part the authenticator reads, over two users. */
const accounts: AccountLookup = {
  byUsername: async (username) => accounts.byUsernameNow(username) ?? null,
  byUsernameNow: (username) =>
    username in PASSWORDS ? account(username, username === 'agent1' ? 1 : 2) : undefined,
  byExtension: async () => null,
  byId: async () => null,
  isMember: async () => false,
};

/** The limiter with its counters in memory, as the server runs it, counting the points taken. */
function countedLimiter(maxFailures: number) {
  const taken = { points: 0 };
  const limiter = new SignInLimiter({
    maxFailures,
    windowMs: 60_000,
    store: (options) => {
      const counter = new RateLimiterMemory(options);
      const consume = counter.consume.bind(counter);
      counter.consume = (key, points) => {
        taken.points += points ?? 1;
        return consume(key, points);
      };
      return counter;
    },
  });
  return { limiter, taken };
}

function setUp(maxFailures = 5) {
  const nonces = new NonceManager({ secret: 'a secret of at least sixteen bytes' });
  const { limiter, taken } = countedLimiter(maxFailures);
  const authenticator = new Authenticator({
    realm: REALM,
    nonces,
    accounts,
    ephemeralSecret: async () => 'unused',
    maxEphemeralTtlSeconds: 3600,
    limiter,
  });
  /** A REGISTER answering a fresh challenge, checked as from `connection` at one address. */
  const answer = (username: string, password: string, connection: object) =>
    authenticator.authenticate(register(nonces, username, password), 'registrar', '192.0.2.1', connection);
  return { authenticator, nonces, taken, answer };
}

/** A REGISTER answering a fresh challenge for `username` with `password`. */
function register(nonces: NonceManager, username: string, password: string): SipRequest {
  const nonce = nonces.issue();
  const uri = `sip:${REALM}`;
  const response = computeDigestResponse({
    algorithm: 'MD5',
    ha1: computeHa1('MD5', username, REALM, password),
    nonce,
    nc: '00000001',
    cnonce: 'c0ffee',
    method: 'REGISTER',
    uri,
  });
  return request('REGISTER', {
    headers: [
      `Authorization: Digest username="${username}", realm="${REALM}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="c0ffee"`,
    ],
  });
}

describe('Authenticator', () => {
  it('counts a first right answer; a refresh on the same connection takes no counts, another connection does', async () => {
    const { answer, taken } = setUp();
    const phone = {};
    const first = await answer('agent1', 'right-one', phone);
    expect(first.kind).toBe('ok');
    expect(taken.points).toBe(3);

    const refresh = await answer('agent1', 'right-one', phone);
    expect(refresh.kind).toBe('ok');
    expect(taken.points).toBe(3);

    const other = await answer('agent1', 'right-one', {});
    expect(other.kind).toBe('ok');
    expect(taken.points).toBe(6);
  });

  it('answers a challenge and a refresh on a proven connection at once, a first answer after the limiter', async () => {
    const { authenticator, answer } = setUp();
    const phone = {};
    const bare = request('REGISTER');
    expect(authenticator.authenticate(bare, 'registrar', '192.0.2.1', phone)).toEqual({
      kind: 'challenge',
      stale: false,
    });
    const first = answer('agent1', 'right-one', phone);
    expect(first).toBeInstanceOf(Promise);
    expect((await first).kind).toBe('ok');
    // The account is in memory and the password passed here: no promise, so the registrar
    // answers before the next message is read.
    const refresh = answer('agent1', 'right-one', phone);
    expect(refresh).not.toBeInstanceOf(Promise);
    expect(refresh).toMatchObject({ kind: 'ok', account: { username: 'agent1' } });
    // A wrong answer there waits for the limiter's count.
    const wrong = answer('agent1', 'guess', phone);
    expect(wrong).toBeInstanceOf(Promise);
    expect(await wrong).toEqual({ kind: 'challenge', stale: false });
  });

  it('counts a wrong answer on a connection where the password passed, up to the refusal', async () => {
    const { answer, taken } = setUp(2);
    const phone = {};
    const ok = await answer('agent1', 'right-one', phone);
    expect(ok.kind).toBe('ok');

    const wrong = await answer('agent1', 'guess-1', phone);
    expect(wrong).toEqual({ kind: 'challenge', stale: false });
    expect(taken.points).toBe(6);
    const last = await answer('agent1', 'guess-2', phone);
    expect(last).toMatchObject({
      kind: 'forbidden',
      reason: expect.stringMatching(/^Too many wrong passwords; try again in \d+ seconds$/),
    });
    // Refused from another connection at that address now, even with the right password.
    const elsewhere = await answer('agent1', 'right-one', {});
    expect(elsewhere.kind).toBe('forbidden');
  });

  it('counts another username on a connection where one passed', async () => {
    const { answer, taken } = setUp();
    const phone = {};
    await answer('agent1', 'right-one', phone);
    const other = await answer('agent2', 'wrong', phone);
    expect(other).toEqual({ kind: 'challenge', stale: false });
    expect(taken.points).toBe(6);
    const right = await answer('agent2', 'right-two', phone);
    expect(right.kind).toBe('ok');
    expect(taken.points).toBe(9);
  });

  it('answers a replayed answer on a proven connection with a stale challenge, counting nothing', async () => {
    const { authenticator, nonces, taken, answer } = setUp();
    const phone = {};
    await answer('agent1', 'right-one', phone);
    const replayed = register(nonces, 'agent1', 'right-one');
    expect((await authenticator.authenticate(replayed, 'registrar', '192.0.2.1', phone)).kind).toBe('ok');
    expect(await authenticator.authenticate(replayed, 'registrar', '192.0.2.1', phone)).toEqual({
      kind: 'challenge',
      stale: true,
    });
    expect(taken.points).toBe(3);
  });
});
