import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HmacSha256 } from './hmac-sha256';

describe('HmacSha256', () => {
  it('gives the bytes of createHmac for keys shorter than, as long as and longer than a block', () => {
    for (const keyBytes of [0, 1, 16, 32, 63, 64, 65, 200]) {
      const key = randomBytes(keyBytes);
      const mac = new HmacSha256(key);
      for (const dataBytes of [0, 16, 64, 1000]) {
        const data = randomBytes(dataBytes);
        expect(mac.digest(data).toString('hex')).toBe(createHmac('sha256', key).update(data).digest('hex'));
      }
    }
  });

  it('reads a string key as UTF-8, as createHmac does', () => {
    const key = 'sécret-ключ';
    const data = Buffer.from('nonce body');
    expect(new HmacSha256(key).digest(data).equals(createHmac('sha256', key).update(data).digest())).toBe(
      true,
    );
  });

  it('is unchanged by earlier MACs: each starts from the key alone', () => {
    const mac = new HmacSha256(randomBytes(32));
    const data = randomBytes(16);
    const first = mac.digest(data);
    mac.digest(randomBytes(16));
    expect(mac.digest(data).equals(first)).toBe(true);
  });
});
