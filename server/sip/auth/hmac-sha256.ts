import { createHash, type Hash } from 'node:crypto';

const BLOCK_BYTES = 64;

/**
 * HMAC-SHA-256 (RFC 2104) under one key, with the key's two padded blocks hashed once and each
 * MAC continuing from copies of those states. The same bytes as createHmac('sha256', key), which
 * processes the key again on every call: 7 µs against 5 µs here, and the nonce of every digest
 * challenge is signed once and checked once (bench:sip).
 */
export class HmacSha256 {
  readonly #inner: Hash;
  readonly #outer: Hash;

  constructor(key: string | Uint8Array) {
    let bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
    if (bytes.length > BLOCK_BYTES) bytes = createHash('sha256').update(bytes).digest();
    const innerPad = Buffer.alloc(BLOCK_BYTES, 0x36);
    const outerPad = Buffer.alloc(BLOCK_BYTES, 0x5c);
    for (let i = 0; i < bytes.length; i++) {
      innerPad[i] = (innerPad[i] as number) ^ (bytes[i] as number);
      outerPad[i] = (outerPad[i] as number) ^ (bytes[i] as number);
    }
    this.#inner = createHash('sha256').update(innerPad);
    this.#outer = createHash('sha256').update(outerPad);
  }

  digest(data: Uint8Array): Buffer {
    const inner = this.#inner.copy().update(data).digest();
    return this.#outer.copy().update(inner).digest();
  }
}
