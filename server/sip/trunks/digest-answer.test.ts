import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseDigestCredentials, verifyDigest } from '../auth/digest';
import { NonceManager } from '../auth/nonce';
import { parseAuthHeader } from '../message/auth-header';
import { buildDigestAnswer, parseDigestChallenge, pickDigestChallenge } from './digest-answer';

// RFC 7616 section 3.9.1.
const rfc7616 = {
  challenge: (algorithm: string) =>
    `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`,
  username: 'Mufasa',
  password: 'Circle of Life',
  method: 'GET',
  uri: '/dir/index.html',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
};

function answerParams(value: string): Map<string, string> {
  const header = parseAuthHeader(value);
  if (!header) throw new Error(`unreadable answer ${value}`);
  return header.params;
}

describe('digest answers to a carrier challenge', () => {
  it.each([
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ])('answers RFC 7616 3.9.1 with %s as the RFC does', (algorithm, response) => {
    const challenge = parseDigestChallenge(rfc7616.challenge(algorithm));
    expect(challenge).not.toBeNull();
    const value = buildDigestAnswer({ ...rfc7616, challenge: challenge!, nonceCount: 1 });
    const params = answerParams(value);
    expect(params.get('response')).toBe(response);
    expect(params.get('nc')).toBe('00000001');
    expect(params.get('qop')).toBe('auth');
    expect(params.get('cnonce')).toBe(rfc7616.cnonce);
    expect(params.get('opaque')).toBe('FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS');
    expect(params.get('algorithm')).toBe(algorithm);
    expect(value).toMatch(/^Digest username="Mufasa", realm="http-auth@example.org"/);
  });

  it('answers RFC 2617 3.5 (MD5 by default, qop=auth)', () => {
    const challenge = parseDigestChallenge(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    const value = buildDigestAnswer({
      challenge: challenge!,
      username: 'Mufasa',
      password: 'Circle Of Life',
      method: 'GET',
      uri: '/dir/index.html',
      cnonce: '0a4f113b',
    });
    expect(answerParams(value).get('response')).toBe('6629fae49393a05397450978507c4ef1');
    expect(answerParams(value).get('algorithm')).toBe('MD5');
  });

  it('answers a challenge without qop as RFC 2069 2.4 (with its erratum) does: no cnonce, no nc', () => {
    const challenge = parseDigestChallenge(
      'Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    expect(challenge?.qop).toBeNull();
    const params = answerParams(
      buildDigestAnswer({
        challenge: challenge!,
        username: 'Mufasa',
        password: 'CircleOfLife',
        method: 'GET',
        uri: '/dir/index.html',
      }),
    );
    expect(params.get('response')).toBe('1949323746fe6a43ef61f9606e7febea');
    expect(params.has('cnonce')).toBe(false);
    expect(params.has('nc')).toBe(false);
    expect(params.has('qop')).toBe(false);
  });

  it('counts requests on one nonce in nc, and picks a fresh cnonce each time', () => {
    const challenge = parseDigestChallenge(rfc7616.challenge('MD5'))!;
    const first = answerParams(buildDigestAnswer({ ...rfc7616, cnonce: undefined, challenge }));
    const third = answerParams(
      buildDigestAnswer({ ...rfc7616, cnonce: undefined, challenge, nonceCount: 3 }),
    );
    expect(first.get('nc')).toBe('00000001');
    expect(third.get('nc')).toBe('00000003');
    expect(first.get('cnonce')).not.toBe(third.get('cnonce'));
  });

  it("is accepted by the edge's own registrar-side verification (SHA-256 and MD5)", () => {
    const nonces = new NonceManager({ secret: Buffer.alloc(32, 7), lifetimeSeconds: 60 });
    for (const algorithm of ['SHA-256', 'MD5'] as const) {
      const nonce = nonces.issue();
      const challenge = parseDigestChallenge(
        `Digest realm="carrier.example", nonce="${nonce}", algorithm=${algorithm}, qop="auth"`,
      )!;
      const value = buildDigestAnswer({
        challenge,
        username: 'acme',
        password: 'pa ss"word',
        method: 'REGISTER',
        uri: 'sip:carrier.example',
      });
      const parsed = parseDigestCredentials(value);
      if (!parsed.ok) throw new Error(parsed.reason);
      const verdict = verifyDigest({
        credentials: parsed.credentials,
        method: 'REGISTER',
        realm: 'carrier.example',
        ha1: null,
        nonces,
        requestUri: 'sip:carrier.example',
      });
      // Unknown user (no HA1 given) must fail; with the right HA1 it passes.
      expect(verdict.ok).toBe(false);
      const ha1 = parsed.credentials.algorithm === 'MD5' ? md5Ha1() : sha256Ha1();
      expect(
        verifyDigest({
          credentials: parsed.credentials,
          method: 'REGISTER',
          realm: 'carrier.example',
          ha1,
          nonces,
          requestUri: 'sip:carrier.example',
        }),
      ).toEqual({ ok: true });
    }
  });

  it('reads what it can answer and leaves the rest', () => {
    expect(parseDigestChallenge('Basic realm="x"')).toBeNull();
    expect(parseDigestChallenge('Digest realm="x", nonce="n", algorithm=MD5-sess, qop="auth"')).toBeNull();
    expect(parseDigestChallenge('Digest realm="x", nonce="n", qop="auth-int"')).toBeNull();
    expect(parseDigestChallenge('Digest nonce="n"')).toBeNull();
    expect(parseDigestChallenge('Digest realm="x", nonce="n", stale=TRUE')?.stale).toBe(true);
    const picked = pickDigestChallenge([
      'Digest realm="x", nonce="a", algorithm=MD5, qop="auth"',
      'Digest realm="x", nonce="b", algorithm=SHA-256, qop="auth"',
    ]);
    expect(picked).toMatchObject({ algorithm: 'SHA-256', nonce: 'b' });
    expect(pickDigestChallenge(['Digest realm="x", nonce="a", algorithm=SHA-512-256'])).toBeNull();
  });
});

function md5Ha1(): string {
  return hash('md5', 'acme:carrier.example:pa ss"word');
}

function sha256Ha1(): string {
  return hash('sha256', 'acme:carrier.example:pa ss"word');
}

function hash(algorithm: string, text: string): string {
  return createHash(algorithm).update(text).digest('hex');
}
