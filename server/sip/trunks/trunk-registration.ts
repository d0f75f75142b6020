import type { EdgeAddress } from '../edge-address';
import { parseCSeq } from '../message/cseq';
import { generateCallId, generateTag } from '../message/identifiers';
import { parseNameAddr } from '../message/name-addr';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { parseSipUri } from '../message/sip-uri';
import type { TransactionLayer } from '../transaction/transaction-layer';
import type { SipConnection } from '../transport/transport';
import { answerRequestChallenge, NonceCounts, type TrunkCredentials } from './challenge-answer';
import { guardedConnection } from './guarded-connection';
import type { TrunkTiming } from './trunk-timing';
import { createUacRequest } from './uac-request';

export type RegistrationState = 'registering' | 'registered' | 'failed';

/** What a registration needs of its trunk link. */
export interface RegistrationHost {
  readonly trunkId: number;
  readonly host: string;
  readonly port: number;
  readonly transport: 'udp' | 'tcp';
  readonly credentials: TrunkCredentials;
  readonly layer: TransactionLayer;
  readonly address: EdgeAddress;
  readonly timing: TrunkTiming;
  /** The connection to the carrier; rejects with a sentence. */
  connection(): Promise<SipConnection>;
  /** The state, expiry or problem changed. */
  changed(): void;
}

/** The user part of the edge's Contact toward a trunk: an inbound request to it names the trunk. */
export function trunkContactUser(trunkId: number): string {
  return `trunk-${trunkId}`;
}

/**
 * The edge registered at a carrier (RFC 3261 10.2): REGISTER with Expires, each 401/407 answered
 * once with the trunk's credentials, refreshed at 80 % of the granted expiry, retried after a
 * failure 5 s later, doubling up to 5 min; one Call-ID and rising CSeq for all of it.
 */
export class TrunkRegistration {
  #state: RegistrationState = 'registering';
  #expiresAt: Date | null = null;
  #problem: string | null = null;
  #timer: NodeJS.Timeout | null = null;
  #failures = 0;
  #cseq = 0;
  #stopped = false;
  /** After stop(): not even the un-REGISTER is sent any more. */
  #done = false;
  /** A registration in flight; one answered by the carrier after stop() is not acted on. */
  #round = 0;
  readonly #callId = generateCallId();
  readonly #fromTag = generateTag();
  readonly #counts = new NonceCounts();

  constructor(private readonly host: RegistrationHost) {}

  get state(): RegistrationState {
    return this.#state;
  }

  get expiresAt(): Date | null {
    return this.#expiresAt;
  }

  /** The sentence saying why the registration failed; null when it did not. */
  get problem(): string | null {
    return this.#state === 'failed' ? this.#problem : null;
  }

  start(): void {
    this.#schedule(0);
  }

  /** The connection to the carrier was lost (TCP): register again on a new one now. */
  connectionLost(): void {
    if (this.#stopped) return;
    this.#schedule(0);
  }

  /** Stops refreshing and removes the binding at the carrier (best effort, bounded wait). */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#round++;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    try {
      if (this.#state !== 'registered') return;
      const connection = await this.host.connection().catch(() => null);
      if (connection) await this.#unregister(connection);
    } finally {
      this.#done = true;
    }
  }

  #unregister(connection: SipConnection): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = setTimeout(resolve, this.host.timing.unregisterWaitMs);
      done.unref();
      const finish = () => {
        clearTimeout(done);
        resolve();
      };
      this.#send(this.#register(connection, 0), connection, {
        registered: finish,
        failed: finish,
      });
    });
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#attempt(this.host.timing.registerExpiresS);
    }, delayMs);
    this.#timer.unref();
  }

  async #attempt(expires: number): Promise<void> {
    // A failed registration stays `failed` while it retries, so the console does not flicker.
    const round = ++this.#round;
    let connection: SipConnection;
    try {
      connection = await this.host.connection();
    } catch (error) {
      if (round === this.#round) this.#fail(error instanceof Error ? error.message : String(error));
      return;
    }
    if (round !== this.#round) return;
    this.#send(this.#register(connection, expires), connection, {
      registered: (granted) => {
        if (round !== this.#round) return;
        if (granted <= 0) granted = expires;
        this.#failures = 0;
        this.#set('registered', new Date(Date.now() + granted * 1000), null);
        this.#schedule(Math.max(500, granted * 800));
      },
      failed: (sentence, minExpires) => {
        if (round !== this.#round) return;
        if (minExpires !== undefined && minExpires > expires && minExpires <= 86_400) {
          void this.#attempt(minExpires);
          return;
        }
        this.#fail(sentence);
      },
    });
  }

  #register(connection: SipConnection, expires: number): SipRequest {
    const { host, port, transport, credentials } = this.host;
    const hostPort = port === 5060 ? host : `${host}:${port}`;
    const aor = `sip:${credentials.username}@${host}`;
    const request = createUacRequest(this.host.address, connection, {
      method: 'REGISTER',
      uri: `sip:${hostPort}${transport === 'tcp' ? ';transport=tcp' : ''}`,
      fromUri: aor,
      toUri: aor,
      fromTag: this.#fromTag,
      callId: this.#callId,
      cseq: ++this.#cseq,
      contactUser: trunkContactUser(this.host.trunkId),
    });
    request.headers.set('Expires', String(expires));
    return request;
  }

  /** Sends a REGISTER, answers one challenge, and reports the outcome as a sentence. */
  #send(
    request: SipRequest,
    connection: SipConnection,
    outcome: {
      registered(grantedSeconds: number): void;
      failed(sentence: string, minExpires?: number): void;
    },
  ): void {
    const { host, port } = this.host;
    const where = `${host}:${port}`;
    const onFinal = (response: SipResponse) => {
      if (response.status < 300) {
        outcome.registered(grantedExpiry(response, request, trunkContactUser(this.host.trunkId)));
        return;
      }
      if (response.status === 401 || response.status === 407) {
        const retry = answerRequestChallenge(request, response, this.host.credentials, this.#counts);
        if (!retry) {
          const answered = request.headers.has('authorization') || request.headers.has('proxy-authorization');
          outcome.failed(
            answered
              ? `${where} refused the trunk's username or password (${response.status} ${response.reason} again after the challenge was answered); check them`
              : `${where} asked for authentication the edge cannot answer (${response.status} without an MD5 or SHA-256 Digest challenge)`,
          );
          return;
        }
        this.#cseq = parseCSeq(retry.headers.get('cseq') ?? '')?.seq ?? this.#cseq + 1;
        request = retry;
        send();
        return;
      }
      const minExpires = response.status === 423 ? Number(response.headers.get('min-expires')) : undefined;
      outcome.failed(
        `${where} refused REGISTER with ${response.status} ${response.reason}`,
        Number.isInteger(minExpires) ? minExpires : undefined,
      );
    };
    const send = () => {
      try {
        this.host.layer.sendRequest(
          request,
          guardedConnection(connection, () => !this.#done),
          {
            onFinal,
            onTimeout: () => outcome.failed(`No answer to REGISTER from ${where}`),
            onTransportError: () =>
              outcome.failed(
                `Could not send REGISTER to ${where} over ${connection.transport.toUpperCase()}`,
              ),
          },
        );
      } catch (error) {
        outcome.failed(
          `Could not send REGISTER to ${where}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    };
    send();
  }

  #fail(sentence: string): void {
    const { backoffMinMs, backoffMaxMs } = this.host.timing;
    const delay = Math.min(backoffMaxMs, backoffMinMs * 2 ** Math.min(this.#failures, 20));
    this.#failures++;
    this.#set('failed', null, sentence);
    this.#schedule(delay);
  }

  #set(state: RegistrationState, expiresAt: Date | null, problem: string | null): void {
    this.#state = state;
    this.#expiresAt = expiresAt;
    this.#problem = problem;
    this.host.changed();
  }
}

/**
 * The lifetime the registrar granted (RFC 3261 10.2.4): the expires parameter of our Contact in
 * the 200, else its Expires header, else what was asked.
 */
function grantedExpiry(response: SipResponse, request: SipRequest, contactUser: string): number {
  for (const value of response.headers.getAll('contact')) {
    const contact = parseNameAddr(value);
    const uri = contact ? parseSipUri(contact.uri) : null;
    const expires = contact?.params.get('expires');
    if (uri?.user === contactUser && expires != null && /^[0-9]+$/.test(expires)) return Number(expires);
  }
  const header = response.headers.get('expires');
  if (header !== undefined && /^[0-9]+$/.test(header.trim())) return Number(header.trim());
  return Number(request.headers.get('expires') ?? 0);
}
