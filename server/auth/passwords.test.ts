import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, secretsFor, sipHa1, verifyPassword } from './passwords';

describe('passwords', () => {
  it('hashes with argon2id and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await verifyPassword(hash, 'correct horse')).toBe(true);
    expect(await verifyPassword(hash, 'correct horsE')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });

  it('computes HA1s that give RFC 7616’s example digest responses', () => {
    // RFC 7616 section 3.9.1: Mufasa / http-auth@example.org / Circle of Life, GET /dir/index.html.
    const nonce = '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v';
    const cnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
    const response = (algorithm: 'MD5' | 'SHA-256') => {
      const h = (text: string) =>
        createHash(algorithm === 'MD5' ? 'md5' : 'sha256')
          .update(text)
          .digest('hex');
      const ha1 = sipHa1('Mufasa', 'http-auth@example.org', 'Circle of Life', algorithm);
      return h(`${ha1}:${nonce}:00000001:${cnonce}:auth:${h('GET:/dir/index.html')}`);
    };
    expect(response('MD5')).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(response('SHA-256')).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it('keeps no trace of the password in the stored secrets', async () => {
    const secrets = await secretsFor('agent1', 'sb.local', 'S3cretPassw0rd');
    expect(JSON.stringify(secrets)).not.toContain('S3cretPassw0rd');
    expect(secrets.ha1Md5).toBe(sipHa1('agent1', 'sb.local', 'S3cretPassw0rd', 'MD5'));
  });

  it('generates 16 unambiguous characters, different every time', () => {
    const seen = new Set(Array.from({ length: 200 }, () => generatePassword()));
    expect(seen.size).toBe(200);
    for (const password of seen) expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{16}$/);
  });
});
