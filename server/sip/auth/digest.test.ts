import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildDigestChallenges,
  computeDigestResponse,
  computeHa1,
  parseDigestCredentials,
  verifyDigest,
  type DigestAlgorithm,
  type DigestCredentials,
} from './digest';
import { parseAuthHeader } from '../message/auth-header';
import { NonceManager, type NonceCountResult, type NonceStatus } from './nonce';

// RFC 7616 section 3.9.1.
const rfc = {
  username: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  method: 'GET',
  uri: '/dir/index.html',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  nc: '00000001',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  responses: {
    MD5: '8ca523f5e9506fed4657c9700eebdbec',
    'SHA-256': '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
  } satisfies Record<DigestAlgorithm, string>,
};

function rfcAuthorization(algorithm: DigestAlgorithm): string {
  return `Digest username="${rfc.username}", realm="${rfc.realm}", uri="${rfc.uri}", algorithm=${algorithm}, nonce="${rfc.nonce}", nc=${rfc.nc}, cnonce="${rfc.cnonce}", qop=auth, response="${rfc.responses[algorithm]}", opaque="${rfc.opaque}"`;
}

/** Accepts the RFC's nonce, as if we had issued it. */
class AcceptingNonces {
  status: NonceStatus = 'valid';
  counts: number[] = [];
  check(): NonceStatus {
    return this.status;
  }
  useCount(_nonce: string, nc: number): NonceCountResult {
    if (this.counts.some((seen) => seen >= nc)) return 'replayed';
    this.counts.push(nc);
    return 'ok';
  }
}

function credentials(value: string): DigestCredentials {
  const result = parseDigestCredentials(value);
  if (!result.ok) throw new Error(result.reason);
  return result.credentials;
}

describe('digest (RFC 7616 3.9.1 vectors)', () => {
  it.each(['MD5', 'SHA-256'] as const)('computes the %s response', (algorithm) => {
    const ha1 = computeHa1(algorithm, rfc.username, rfc.realm, rfc.password);
    expect(
      computeDigestResponse({
        algorithm,
        ha1,
        nonce: rfc.nonce,
        nc: rfc.nc,
        cnonce: rfc.cnonce,
        method: rfc.method,
        uri: rfc.uri,
      }),
    ).toBe(rfc.responses[algorithm]);
  });

  it.each(['MD5', 'SHA-256'] as const)(
    'computes the %s response of each request, whichever method and URI came before it',
    (algorithm) => {
      const ha1 = computeHa1(algorithm, rfc.username, rfc.realm, rfc.password);
      const input = { algorithm, ha1, nonce: rfc.nonce, nc: rfc.nc, cnonce: rfc.cnonce };
      const written = (method: string, uri: string) => {
        const hashName = algorithm === 'MD5' ? 'md5' : 'sha256';
        const ha2 = createHash(hashName).update(`${method}:${uri}`).digest('hex');
        return createHash(hashName)
          .update(`${ha1}:${rfc.nonce}:${rfc.nc}:${rfc.cnonce}:auth:${ha2}`)
          .digest('hex');
      };
      const requests: [string, string][] = [
        ['REGISTER', 'sip:example.org'],
        ['REGISTER', 'sip:example.org'],
        ['INVITE', 'sip:example.org'],
        ['INVITE', 'sip:alice@example.org'],
        ['REGISTER', 'sip:example.org'],
        [rfc.method, rfc.uri],
      ];
      for (const [method, uri] of requests) {
        expect(computeDigestResponse({ ...input, method, uri })).toBe(written(method, uri));
      }
      expect(computeDigestResponse({ ...input, method: rfc.method, uri: rfc.uri })).toBe(
        rfc.responses[algorithm],
      );
    },
  );

  it.each(['MD5', 'SHA-256'] as const)(
    'verifies the %s Authorization header from a stored HA1',
    (algorithm) => {
      const creds = credentials(rfcAuthorization(algorithm));
      expect(creds).toMatchObject({
        username: 'Mufasa',
        algorithm,
        ncValue: 1,
        opaque: rfc.opaque,
      });
      const verdict = verifyDigest({
        credentials: creds,
        method: rfc.method,
        realm: rfc.realm,
        ha1: computeHa1(algorithm, rfc.username, rfc.realm, rfc.password),
        nonces: new AcceptingNonces(),
        requestUri: rfc.uri,
      });
      expect(verdict).toEqual({ ok: true });
    },
  );

  it('refuses a wrong password, a wrong method and a wrong URI', () => {
    const nonces = new AcceptingNonces();
    const base = { realm: rfc.realm, nonces, credentials: credentials(rfcAuthorization('MD5')) };
    const good = computeHa1('MD5', rfc.username, rfc.realm, rfc.password);
    const bad = computeHa1('MD5', rfc.username, rfc.realm, 'Circle of Death');
    expect(verifyDigest({ ...base, method: 'GET', ha1: bad })).toEqual({
      ok: false,
      reason: 'wrong-response',
      stale: false,
    });
    expect(verifyDigest({ ...base, method: 'POST', ha1: good })).toMatchObject({
      reason: 'wrong-response',
    });
    expect(verifyDigest({ ...base, method: 'GET', ha1: good, requestUri: '/other' })).toMatchObject({
      reason: 'uri-mismatch',
    });
    expect(verifyDigest({ ...base, method: 'GET', ha1: null })).toMatchObject({
      reason: 'unknown-user',
    });
    expect(verifyDigest({ ...base, realm: 'elsewhere', method: 'GET', ha1: good })).toMatchObject({
      reason: 'realm-mismatch',
    });
    expect(nonces.counts).toEqual([]);
  });

  it('uses a SHA-256 HA1 for SHA-256 and refuses an algorithm not offered', () => {
    const creds = credentials(rfcAuthorization('SHA-256'));
    const md5Ha1 = computeHa1('MD5', rfc.username, rfc.realm, rfc.password);
    const base = {
      credentials: creds,
      method: 'GET',
      realm: rfc.realm,
      nonces: new AcceptingNonces(),
    };
    expect(verifyDigest({ ...base, ha1: md5Ha1 })).toMatchObject({ reason: 'wrong-response' });
    expect(verifyDigest({ ...base, ha1: md5Ha1, algorithms: ['MD5'] })).toMatchObject({
      reason: 'algorithm-not-offered',
    });
  });

  it('says stale when the response is right but the nonce expired or was replayed', () => {
    const nonces = new AcceptingNonces();
    const input = {
      credentials: credentials(rfcAuthorization('MD5')),
      method: 'GET',
      realm: rfc.realm,
      ha1: computeHa1('MD5', rfc.username, rfc.realm, rfc.password),
      nonces,
    };
    expect(verifyDigest(input)).toEqual({ ok: true });
    expect(verifyDigest(input)).toEqual({ ok: false, reason: 'replayed-nonce', stale: true });
    nonces.status = 'stale';
    expect(verifyDigest(input)).toEqual({ ok: false, reason: 'stale-nonce', stale: true });
    nonces.status = 'invalid';
    expect(verifyDigest(input)).toEqual({ ok: false, reason: 'invalid-nonce', stale: false });
  });
});

describe('parseDigestCredentials', () => {
  it('reads a sip.js Authorization header (algorithm first, unquoted qop and nc)', () => {
    const creds = credentials(
      'Digest algorithm=MD5, username="alice", realm="switchboard.example", nonce="n", uri="sip:switchboard.example", response="6629FAE49393A05397450978507C4EF1", qop=auth, cnonce="1f7tfhi2clvs", nc=0000000a',
    );
    expect(creds).toMatchObject({
      algorithm: 'MD5',
      ncValue: 10,
      nc: '0000000a',
      response: '6629fae49393a05397450978507c4ef1',
      opaque: null,
    });
  });

  it('defaults to MD5 when no algorithm is given', () => {
    expect(credentials(rfcAuthorization('MD5').replace('algorithm=MD5, ', '')).algorithm).toBe('MD5');
  });

  it.each([
    ['Basic', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='],
    ['no qop', rfcAuthorization('MD5').replace('qop=auth, ', '')],
    ['auth-int', rfcAuthorization('MD5').replace('qop=auth', 'qop=auth-int')],
    ['MD5-sess', rfcAuthorization('MD5').replace('algorithm=MD5', 'algorithm=MD5-sess')],
    ['bad nc', rfcAuthorization('MD5').replace('nc=00000001', 'nc=1')],
    ['zero nc', rfcAuthorization('MD5').replace('nc=00000001', 'nc=00000000')],
    ['no response', rfcAuthorization('MD5').replace(/response="[^"]*", /, '')],
    ['repeated param', `${rfcAuthorization('MD5')}, nonce="other"`],
    ['repeated unknown param', `${rfcAuthorization('MD5')}, x-extra=1, X-Extra="2"`],
    ['repeated param, other case', `${rfcAuthorization('MD5')}, NONCE="other"`],
  ])('refuses %s', (_name, value) => {
    expect(parseDigestCredentials(value).ok).toBe(false);
  });

  it('reads each parameter as parseAuthHeader does: quoted-pairs, commas and brackets inside quotes, any order', () => {
    const value =
      ' Digest  cnonce="c\\"n, <x>" ,nc=0000000A, qop="auth", response="ABCDEF", uri="sip:a@b;x=<1,2>", ' +
      'nonce="n,1", realm="r \\"q\\"", username="al\\\\ice", opaque="o", x-unknown=1, ALGORITHM=sha-256 ';
    const params = parseAuthHeader(value)?.params;
    expect(credentials(value)).toEqual({
      username: params?.get('username'),
      realm: params?.get('realm'),
      nonce: params?.get('nonce'),
      uri: params?.get('uri'),
      response: 'abcdef',
      algorithm: 'SHA-256',
      qop: 'auth',
      nc: '0000000A',
      ncValue: 10,
      cnonce: params?.get('cnonce'),
      opaque: 'o',
    });
    expect([params?.get('username'), params?.get('realm'), params?.get('cnonce')]).toEqual([
      'al\\ice',
      'r "q"',
      'c"n, <x>',
    ]);
  });
});

describe('buildDigestChallenges', () => {
  it('puts SHA-256 first and MD5 last by default (sip.js keeps the last), one header per algorithm', () => {
    const challenges = buildDigestChallenges({ realm: 'switchboard.example', nonce: 'abc' });
    expect(challenges).toEqual([
      'Digest realm="switchboard.example", nonce="abc", algorithm=SHA-256, qop="auth"',
      'Digest realm="switchboard.example", nonce="abc", algorithm=MD5, qop="auth"',
    ]);
  });

  it('follows the configured order and marks stale', () => {
    const [first, second] = buildDigestChallenges({
      realm: 'r',
      nonce: 'n',
      algorithms: ['SHA-256', 'MD5'],
      stale: true,
      opaque: 'o',
    });
    expect(first).toBe('Digest realm="r", nonce="n", opaque="o", algorithm=SHA-256, qop="auth", stale=true');
    expect(parseAuthHeader(second ?? '')?.params.get('algorithm')).toBe('MD5');
  });

  it('gives each call its own nonce, quoted, with the rest of the text unchanged between calls', () => {
    const options = { realm: 'edge "one"', algorithms: ['MD5'] as const };
    expect(buildDigestChallenges({ ...options, nonce: 'first' })).toEqual([
      'Digest realm="edge \\"one\\"", nonce="first", algorithm=MD5, qop="auth"',
    ]);
    expect(buildDigestChallenges({ ...options, nonce: 'sec"ond' })).toEqual([
      'Digest realm="edge \\"one\\"", nonce="sec\\"ond", algorithm=MD5, qop="auth"',
    ]);
    expect(buildDigestChallenges({ ...options, nonce: 'third', stale: true })).toEqual([
      'Digest realm="edge \\"one\\"", nonce="third", algorithm=MD5, qop="auth", stale=true',
    ]);
  });
});

describe('challenge → response → verify, end to end with real nonces', () => {
  it.each(['MD5', 'SHA-256'] as const)(
    'authenticates a REGISTER with %s and refuses its replay',
    (algorithm) => {
      let now = 1_700_000_000_000;
      const nonces = new NonceManager({ secret: 'test-secret-test-secret', now: () => now });
      const realm = 'switchboard.example';
      const [challenge] = buildDigestChallenges({
        realm,
        nonce: nonces.issue(),
        algorithms: [algorithm],
      });
      const nonce = parseAuthHeader(challenge ?? '')?.params.get('nonce') ?? '';
      const ha1 = computeHa1(algorithm, 'alice', realm, 'pa55word');
      const authorize = (nc: string): DigestCredentials => {
        const response = computeDigestResponse({
          algorithm,
          ha1,
          nonce,
          nc,
          cnonce: 'c1',
          method: 'REGISTER',
          uri: 'sip:switchboard.example',
        });
        return credentials(
          `Digest algorithm=${algorithm}, username="alice", realm="${realm}", nonce="${nonce}", uri="sip:switchboard.example", response="${response}", qop=auth, cnonce="c1", nc=${nc}`,
        );
      };
      const verify = (creds: DigestCredentials) =>
        verifyDigest({
          credentials: creds,
          method: 'REGISTER',
          realm,
          ha1,
          nonces,
          requestUri: 'sip:switchboard.example',
        });

      expect(verify(authorize('00000001'))).toEqual({ ok: true });
      expect(verify(authorize('00000001'))).toMatchObject({ reason: 'replayed-nonce' });
      expect(verify(authorize('00000002'))).toEqual({ ok: true });
      now += 301_000;
      expect(verify(authorize('00000003'))).toEqual({
        ok: false,
        reason: 'stale-nonce',
        stale: true,
      });
    },
  );
});
