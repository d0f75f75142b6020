import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DbOrTx } from '../store/database';
import { getOrCreateSetting, newSecret } from '../store/settings-repository';

/** The settings key of the key that seals the secrets the server must send on (trunk passwords). */
export const SECRET_BOX_KEY = 'secret_box_key';

/** Version tag of a sealed value: `v1.<iv>.<tag>.<ciphertext>`, each base64url. */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown when a sealed value cannot be opened; the message says what an administrator can do. */
export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

function keyBytes(key: string): Buffer {
  const bytes = Buffer.from(key, 'base64url');
  if (bytes.length !== 32)
    throw new SecretBoxError(
      `The stored ${SECRET_BOX_KEY} setting is not a 32-byte key; the sealed passwords cannot be opened.`,
    );
  return bytes;
}

/**
 * Seals text with AES-256-GCM under a 32-byte base64url key: a fresh random IV each time, so
 * sealing one password twice gives two different values. `label` is bound as associated data.
 */
export function sealWith(key: string, plain: string, label: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyBytes(key), iv);
  cipher.setAAD(Buffer.from(label));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** Opens what `sealWith` sealed under the same key and label; anything else throws SecretBoxError. */
export function openWith(key: string, sealed: string, label: string): string {
  const [version, iv, tag, body, ...rest] = sealed.split('.');
  const unreadable = () =>
    new SecretBoxError(
      'A stored password cannot be opened: it was altered, or sealed under another key. Enter the password again.',
    );
  if (version !== VERSION || iv === undefined || tag === undefined || body === undefined || rest.length)
    throw unreadable();
  const ivBytes = Buffer.from(iv, 'base64url');
  const tagBytes = Buffer.from(tag, 'base64url');
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw unreadable();
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyBytes(key), ivBytes, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(label));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch (error) {
    if (error instanceof SecretBoxError) throw error;
    throw unreadable();
  }
}

/**
 * Seals and opens the secrets the server must keep readable for itself (a trunk's password: the
 * edge sends it to the carrier), under a key generated on first use and kept in `settings`, so
 * restarts and other servers on the same PostgreSQL open them alike. A copy of the `trunks` table
 * alone does not give the passwords away; one of the whole database does.
 */
export class SecretBox {
  readonly #db: DbOrTx;
  readonly #label: string;
  #key: Promise<string> | null = null;

  /** `label` names what is sealed (bound as associated data): a value sealed for one use opens for no other. */
  constructor(db: DbOrTx, label: string) {
    this.#db = db;
    this.#label = label;
  }

  async seal(plain: string): Promise<string> {
    return sealWith(await this.#loadKey(), plain, this.#label);
  }

  async open(sealed: string): Promise<string> {
    return openWith(await this.#loadKey(), sealed, this.#label);
  }

  #loadKey(): Promise<string> {
    this.#key ??= getOrCreateSetting(this.#db, SECRET_BOX_KEY, newSecret).catch((error: unknown) => {
      // Not remembered: the next use asks the database again.
      this.#key = null;
      throw error;
    });
    return this.#key;
  }
}

/** The box trunk passwords are sealed in. */
export const trunkSecretBox = (db: DbOrTx) => new SecretBox(db, 'trunk-password');
