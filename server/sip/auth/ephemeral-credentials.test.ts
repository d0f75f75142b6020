import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeDigestResponse, computeHa1, parseDigestCredentials, verifyDigest } from './digest';
import {
  deriveEphemeralHa1,
  ephemeralPassword,
  issueEphemeralCredentials,
  parseEphemeralUsername,
} from './ephemeral-credentials';
import { NonceManager } from './nonce';

const secret = 'ephemeral-shared-secret';
const now = 1_700_000_000_000;

describe('ephemeral credentials', () => {
  it('issues `<expiry>:<user>:<generation>` with base64(HMAC(secret, username)) as password', () => {
    const creds = issueEphemeralCredentials({
      secret,
      user: 'alice',
      generation: 2,
      ttlSeconds: 3600,
      now,
      hmac: 'sha1',
    });
    expect(creds.username).toBe('1700003600:alice:2');
    expect(creds.expiresAt).toBe(1_700_003_600);
    expect(creds.password).toBe(createHmac('sha1', secret).update('1700003600:alice:2').digest('base64'));
    expect(ephemeralPassword(secret, creds.username)).toBe(
      createHmac('sha256', secret).update('1700003600:alice:2').digest('base64'),
    );
  });

  it('matches the TURN REST example shape', () => {
    expect(parseEphemeralUsername('1700003600:alice:7')).toEqual({
      expiresAt: 1_700_003_600,
      user: 'alice',
      generation: 7,
    });
    // The bare form parses (so it is recognised as ephemeral) but carries no generation.
    expect(parseEphemeralUsername('1700003600:alice')).toEqual({
      expiresAt: 1_700_003_600,
      user: 'alice',
      generation: null,
    });
    expect(parseEphemeralUsername('1700003600:alice:')).toMatchObject({ generation: null });
    expect(parseEphemeralUsername('alice')).toBeNull();
    expect(parseEphemeralUsername(':alice')).toBeNull();
    expect(parseEphemeralUsername('17000x:alice')).toBeNull();
    expect(parseEphemeralUsername('1700003600:')).toBeNull();
  });

  it('derives the HA1 a client with the issued password would use', () => {
    const creds = issueEphemeralCredentials({ secret, user: 'alice', generation: 2, ttlSeconds: 600, now });
    for (const algorithm of ['MD5', 'SHA-256'] as const) {
      const derived = deriveEphemeralHa1({
        secret,
        username: creds.username,
        realm: 'sb',
        algorithm,
        now,
      });
      expect(derived).toEqual({
        ok: true,
        user: 'alice',
        generation: 2,
        expiresAt: creds.expiresAt,
        ha1: computeHa1(algorithm, creds.username, 'sb', creds.password),
      });
    }
  });

  it('refuses expired, non-ephemeral and too-long-lived usernames', () => {
    const creds = issueEphemeralCredentials({ secret, user: 'alice', generation: 2, ttlSeconds: 600, now });
    const base = { secret, realm: 'sb', algorithm: 'MD5' as const };
    expect(deriveEphemeralHa1({ ...base, username: creds.username, now: now + 600_000 })).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(deriveEphemeralHa1({ ...base, username: 'alice', now })).toEqual({
      ok: false,
      reason: 'not-ephemeral',
    });
    expect(deriveEphemeralHa1({ ...base, username: '9999999999:alice', now, maxTtlSeconds: 86_400 })).toEqual(
      {
        ok: false,
        reason: 'too-long-lived',
      },
    );
  });

  it('refuses user names that would not survive a quoted digest username', () => {
    expect(() =>
      issueEphemeralCredentials({ secret, user: 'a"b', generation: 0, ttlSeconds: 60, now }),
    ).toThrow();
    expect(() =>
      issueEphemeralCredentials({ secret, user: '', generation: 0, ttlSeconds: 60, now }),
    ).toThrow();
    expect(() =>
      issueEphemeralCredentials({ secret, user: 'a', generation: -1, ttlSeconds: 60, now }),
    ).toThrow();
  });

  it('lets the edge verify a digest made with ephemeral credentials, and not a forged one', () => {
    const nonces = new NonceManager({ secret: 'nonce-secret-nonce-secret', now: () => now });
    const realm = 'switchboard.example';
    const creds = issueEphemeralCredentials({ secret, user: 'alice', generation: 2, ttlSeconds: 600, now });
    const nonce = nonces.issue();
    const sign = (username: string, password: string, nc: string) => {
      const ha1 = computeHa1('MD5', username, realm, password);
      const response = computeDigestResponse({
        algorithm: 'MD5',
        ha1,
        nonce,
        nc,
        cnonce: 'cn',
        method: 'REGISTER',
        uri: `sip:${realm}`,
      });
      const parsed = parseDigestCredentials(
        `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="sip:${realm}", response="${response}", qop=auth, nc=${nc}, cnonce="cn"`,
      );
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.credentials;
    };
    const verify = (credentials: ReturnType<typeof sign>) => {
      const derived = deriveEphemeralHa1({
        secret,
        username: credentials.username,
        realm,
        algorithm: 'MD5',
        now,
      });
      return verifyDigest({
        credentials,
        method: 'REGISTER',
        realm,
        nonces,
        ha1: derived.ok ? derived.ha1 : null,
      });
    };
    expect(verify(sign(creds.username, creds.password, '00000001'))).toEqual({ ok: true });
    // Extending one's own expiry without the secret gives a password that does not match.
    const extended = `${creds.expiresAt + 86_400}:alice:2`;
    expect(verify(sign(extended, creds.password, '00000001'))).toMatchObject({
      ok: false,
      reason: 'wrong-response',
    });
  });
});
