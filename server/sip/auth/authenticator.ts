import type { SignInLimiter } from '../../auth/sign-in-limiter';
import type { DeviceCredentialRecord } from '../../store/devices-repository';
import type { SipAccount } from '../../store/sip-accounts-repository';
import type { SipRequest } from '../message/sip-message';
import type { TransportName } from '../transport/transport';
import type { AccountLookup } from './account-lookup';
import { noDevices, type DeviceLookup } from './device-lookup';
import {
  buildDigestChallenges,
  challengeHeaderName,
  credentialsHeaderName,
  defaultDigestAlgorithms,
  parseDigestCredentials,
  verifyDigest,
  type DigestAlgorithm,
  type DigestCredentials,
  type DigestVerdict,
} from './digest';
import { deriveEphemeralHa1, parseEphemeralUsername, type DerivedHa1 } from './ephemeral-credentials';
import type { NonceManager } from './nonce';

export type AuthKind = 'registrar' | 'proxy';

export type AuthOutcome =
  /** `device`: a desk phone's own credentials, the account is its owner's. */
  | { kind: 'ok'; account: SipAccount; ephemeral: boolean; device: DeviceCredentialRecord | null }
  /** Answer 401/407 with a fresh challenge; stale=true when the password was right. */
  | { kind: 'challenge'; stale: boolean }
  /** Too many wrong passwords from this user or address: answer 403 with the reason. */
  | { kind: 'forbidden'; reason: string };

export interface AuthenticatorOptions {
  realm: string;
  nonces: NonceManager;
  accounts: AccountLookup;
  /** Desk phones with credentials of their own (none without it). */
  devices?: DeviceLookup;
  /** The secret the short-lived web-session credentials are signed with. */
  ephemeralSecret: () => Promise<string>;
  /** Longest lifetime an ephemeral username may claim. */
  maxEphemeralTtlSeconds: number;
  algorithms?: readonly DigestAlgorithm[];
  /** Wrong passwords per user and address, across connections: the web sign-in's limiter. */
  limiter: SignInLimiter;
}

type Resolved = {
  account: SipAccount;
  ha1: string;
  ephemeral: boolean;
  device: DeviceCredentialRecord | null;
};

/** The 403 reason phrase a phone shows. */
export function tooManyWrongPasswords(seconds: number): string {
  return `Too many wrong passwords; try again in ${seconds} seconds`;
}

type Checked = { resolved: Resolved | null; verdict: DigestVerdict };
type Attempter = { username: string | null; address: string };

/** Whom the limiter counts a guess against: the user and the address, or the address alone for a short-lived credential. */
function attempterOf(credentials: DigestCredentials, address: string): Attempter {
  const ephemeral = parseEphemeralUsername(credentials.username) !== null;
  return { username: ephemeral ? null : credentials.username, address };
}

/** A wrong password or an unknown user: a guess the limiter counts. */
function counted(verdict: DigestVerdict): boolean {
  return !verdict.ok && (verdict.reason === 'wrong-response' || verdict.reason === 'unknown-user');
}

function okOutcome(resolved: Resolved): AuthOutcome {
  return { kind: 'ok', account: resolved.account, ephemeral: resolved.ephemeral, device: resolved.device };
}

/** Refused: too many wrong passwords for now; the phone is told when it may try again. */
function lockedOutcome(seconds: number): AuthOutcome {
  return { kind: 'forbidden', reason: tooManyWrongPasswords(seconds) };
}

/** A counted failure: 403 when it used the last try (`wait` seconds), else a new challenge. */
function failedOutcome(wait: number): AuthOutcome {
  return wait > 0 ? lockedOutcome(wait) : { kind: 'challenge', stale: false };
}

/**
 * Digest authentication (RFC 3261 22, RFC 7616/8760: MD5 and SHA-256, qop=auth) against
 * the users' stored HA1s or an ephemeral credential's derived HA1.
 */
export class Authenticator {
  readonly realm: string;
  readonly #options: AuthenticatorOptions;
  readonly #algorithms: readonly DigestAlgorithm[];
  /** The username whose password last passed on each connection (see authenticate). */
  readonly #proven = new WeakMap<object, string>();
  /** The short-lived credentials' secret once loaded (the edge loads it once and keeps it). */
  #ephemeralSecret: string | undefined;

  constructor(options: AuthenticatorOptions) {
    this.realm = options.realm;
    this.#options = options;
    this.#algorithms = options.algorithms ?? defaultDigestAlgorithms;
  }

  /** Whether the request carries credentials for our realm (else: challenge, no failure). */
  hasCredentials(request: SipRequest, kind: AuthKind): boolean {
    return this.#credentials(request, kind) !== null;
  }

  /**
   * Checks the request's credentials; `address` is the client's, as the limiter counts it. The
   * attempt is counted before anything is looked up, so answers sent at once on many
   * connections cannot all be checked. A short-lived credential names no password of the user:
   * its failures count for the address only.
   *
   * `connection` (any object standing for it) lets a phone refresh its registration without the
   * limiter: once a username's password has passed on a connection, a right answer for the same
   * username on it is no guess, so it is checked at once and costs no counts (three counters
   * taken and given back, ≈ 5 % of a registration's CPU). A wrong answer there is counted as
   * anywhere else, and any other username goes the counted way.
   *
   * The outcome comes at once, not as a promise, when nothing has to be waited for: no
   * credentials (a challenge), or such a refresh whose account memory holds. A REGISTER is then
   * answered before the next message is read, and its objects die young (bench:sip).
   */
  authenticate(
    request: SipRequest,
    kind: AuthKind,
    address: string,
    connection?: object,
  ): AuthOutcome | Promise<AuthOutcome> {
    const credentials = this.#credentials(request, kind);
    if (!credentials) return { kind: 'challenge', stale: false };
    if (connection !== undefined && this.#proven.get(connection) === credentials.username) {
      const checked = this.#check(request, credentials);
      return checked instanceof Promise
        ? checked.then((settled) => this.#provenOutcome(settled, credentials, address))
        : this.#provenOutcome(checked, credentials, address);
    }
    return this.#countedOutcome(request, credentials, address, connection);
  }

  /** On a connection the username has proven its password on: counted only when wrong. */
  #provenOutcome(
    { resolved, verdict }: Checked,
    credentials: DigestCredentials,
    address: string,
  ): AuthOutcome | Promise<AuthOutcome> {
    if (verdict.ok && resolved) return okOutcome(resolved);
    if (!counted(verdict)) return { kind: 'challenge', stale: !verdict.ok && verdict.stale };
    return this.#countFailure(attempterOf(credentials, address));
  }

  async #countFailure(attempter: Attempter): Promise<AuthOutcome> {
    const gate = await this.#options.limiter.begin(attempter);
    if (!gate.allowed) return lockedOutcome(gate.retryAfterSeconds);
    return failedOutcome(await gate.attempt.failed());
  }

  /** Anywhere else: the limiter lets the attempt in (or not) before anything is looked up. */
  async #countedOutcome(
    request: SipRequest,
    credentials: DigestCredentials,
    address: string,
    connection: object | undefined,
  ): Promise<AuthOutcome> {
    const gate = await this.#options.limiter.begin(attempterOf(credentials, address));
    if (!gate.allowed) return lockedOutcome(gate.retryAfterSeconds);
    const { attempt } = gate;
    let checked: Checked;
    try {
      checked = await this.#check(request, credentials);
    } catch (error) {
      await attempt.abandoned();
      throw error;
    }
    const { resolved, verdict } = checked;
    if (verdict.ok && resolved) {
      await attempt.succeeded();
      if (connection !== undefined) this.#proven.set(connection, credentials.username);
      return okOutcome(resolved);
    }
    if (counted(verdict)) return failedOutcome(await attempt.failed());
    // No password was tested (a stale or forged nonce, another realm…), or it was right but
    // the nonce had expired: nothing to count.
    await attempt.abandoned();
    return { kind: 'challenge', stale: !verdict.ok && verdict.stale };
  }

  /** The account the credentials name, and whether their answer is right: at once when memory holds it. */
  #check(request: SipRequest, credentials: DigestCredentials): Checked | Promise<Checked> {
    const now = this.#resolveNow(credentials);
    if (now !== undefined) return { resolved: now, verdict: this.#verify(request, credentials, now) };
    return this.#resolve(credentials).then((resolved) => ({
      resolved,
      verdict: this.#verify(request, credentials, resolved),
    }));
  }

  #verify(request: SipRequest, credentials: DigestCredentials, resolved: Resolved | null): DigestVerdict {
    return verifyDigest({
      credentials,
      method: request.method,
      realm: this.realm,
      ha1: resolved?.ha1 ?? null,
      nonces: this.#options.nonces,
      algorithms: this.#algorithms,
    });
  }

  /**
   * The WWW-Authenticate / Proxy-Authenticate headers of a challenge. Over WebSocket (browsers)
   * every algorithm, SHA-256 first; over UDP, TCP and TLS (desk phones, carriers) MD5 alone:
   * libre 1.x, the SIP stack of baresip 1.0, refuses a challenge that has a header of any other
   * algorithm, in any order, instead of skipping it, and so never registers or calls.
   */
  challengeHeaders(kind: AuthKind, stale: boolean, transport: TransportName): [string, string][] {
    const name = challengeHeaderName(kind);
    const webSocket = transport === 'ws' || transport === 'wss';
    return buildDigestChallenges({
      realm: this.realm,
      nonce: this.#options.nonces.issue(),
      algorithms: webSocket || !this.#algorithms.includes('MD5') ? this.#algorithms : ['MD5'],
      stale,
    }).map((value) => [name, value]);
  }

  #credentials(request: SipRequest, kind: AuthKind): DigestCredentials | null {
    for (const value of request.headers.getAll(credentialsHeaderName(kind))) {
      const parsed = parseDigestCredentials(value);
      if (parsed.ok && parsed.credentials.realm === this.realm) return parsed.credentials;
    }
    return null;
  }

  /**
   * What #resolve finds, when memory alone can say: a user's account, or a short-lived
   * credential's once the secret is loaded. Undefined when it has to wait (a reload, a name not
   * in memory, a desk phone, the secret's first load).
   */
  #resolveNow(credentials: DigestCredentials): Resolved | null | undefined {
    if (!parseEphemeralUsername(credentials.username)) {
      const account = this.#options.accounts.byUsernameNow(credentials.username);
      return account && this.#withAccount(account, credentials);
    }
    if (this.#ephemeralSecret === undefined) return undefined;
    const derived = this.#derive(this.#ephemeralSecret, credentials);
    if (!derived.ok) return null;
    const account = this.#options.accounts.byUsernameNow(derived.user);
    return account && this.#withEphemeral(account, derived);
  }

  async #resolve(credentials: DigestCredentials): Promise<Resolved | null> {
    if (parseEphemeralUsername(credentials.username)) {
      this.#ephemeralSecret = await this.#options.ephemeralSecret();
      const derived = this.#derive(this.#ephemeralSecret, credentials);
      if (!derived.ok) return null;
      const account = await this.#options.accounts.byUsername(derived.user);
      return account && this.#withEphemeral(account, derived);
    }
    const account = await this.#options.accounts.byUsername(credentials.username);
    if (!account) return this.#resolveDevice(credentials);
    return this.#withAccount(account, credentials);
  }

  #derive(secret: string, credentials: DigestCredentials): DerivedHa1 {
    return deriveEphemeralHa1({
      secret,
      username: credentials.username,
      realm: this.realm,
      algorithm: credentials.algorithm,
      maxTtlSeconds: this.#options.maxEphemeralTtlSeconds,
    });
  }

  /** A short-lived credential of the account's: ended when issued before the user's last sign-out, password reset, or new role or profile. */
  #withEphemeral(account: SipAccount, derived: Extract<DerivedHa1, { ok: true }>): Resolved | null {
    if (account.sipCredentialGeneration !== derived.generation) return null;
    return { account, ha1: derived.ha1, ephemeral: true, device: null };
  }

  #withAccount(account: SipAccount, credentials: DigestCredentials): Resolved | null {
    if (account.realm !== this.realm) return null;
    const ha1 = credentials.algorithm === 'MD5' ? account.ha1Md5 : account.ha1Sha256;
    return { account, ha1, ephemeral: false, device: null };
  }

  /** A desk phone's own username (`<user>-<random>`): its HA1, its owner's account. */
  async #resolveDevice(credentials: DigestCredentials): Promise<Resolved | null> {
    const device = await (this.#options.devices ?? noDevices).phoneByUsername(credentials.username);
    if (!device || device.realm !== this.realm) return null;
    const account = await this.#options.accounts.byId(device.userId);
    if (!account) return null;
    const ha1 = credentials.algorithm === 'MD5' ? device.ha1Md5 : device.ha1Sha256;
    return { account, ha1, ephemeral: false, device };
  }
}
