import { buildResponse } from '../message/build-response';
import { createRequest, createResponse, type SipRequest, type SipResponse } from '../message/sip-message';
import type { SipConnection } from '../transport/transport';
import { detachedCopy, requestBytes } from './held-memory';
import { encodeMessage, type WireMessage } from '../message/serialize-message';
import { Transaction, type TransactionContext } from './transaction';

export interface ServerTransactionDelegate {
  /**
   * INVITE: timer H, a non-2xx final response was never acknowledged. Non-INVITE: the TU
   * sent no final response within 64*T1, when the client has given up anyway.
   */
  onTimeout?(): void;
  onTransportError?(): void;
  onTerminated?(): void;
}

export type InviteServerState = 'proceeding' | 'accepted' | 'completed' | 'confirmed' | 'terminated';
export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

abstract class ServerTransactionBase extends Transaction {
  delegate: ServerTransactionDelegate = {};
  protected lastResponseText: WireMessage | null = null;
  #lastResponse: SipResponse | null = null;
  /** When the request came in, on the timer host's clock: the wait timers count from then. */
  readonly #arrivedAt: number;

  constructor(key: string, request: SipRequest, connection: SipConnection, context: TransactionContext) {
    super(key, request, connection, context);
    this.#arrivedAt = context.timers.now();
  }

  /**
   * The turn of the event loop the request came in has ended: starts the timers that wait for
   * the TU's answer if it has not come yet, counted from the request's arrival. Most requests
   * (a REGISTER, its challenge) are answered within that turn and never start one.
   */
  abstract awaitAnswer(): void;

  /** What is left of `delayMs` since the arrival, in whole milliseconds, rounded so that it never ends sooner. */
  protected sinceArrival(delayMs: number): number {
    return Math.max(0, delayMs - Math.floor(this.context.timers.now() - this.#arrivedAt));
  }

  /** The last response sent, if any (past a final non-2xx, only its status and reason). */
  get lastResponse(): SipResponse | null {
    return this.#lastResponse;
  }

  /** Roughly the bytes it keeps alive: its key, its request and its last response's text. */
  get heldBytes(): number {
    return this.key.length + requestBytes(this.request) + (this.lastResponseText?.length ?? 0);
  }

  /** Sends a response from the TU; false if the state does not allow it or sending failed. */
  abstract respond(response: SipResponse): boolean;

  /**
   * A request that matched this transaction (a retransmission, or ACK). Returns true when
   * absorbed here, false when the TU must see it (an ACK in Accepted, RFC 6026).
   */
  abstract receiveRequest(request: SipRequest): boolean;

  protected sendResponse(response: SipResponse): boolean {
    const text = encodeMessage(response);
    const ok = this.sendText(text);
    this.lastResponseText = text;
    this.#lastResponse = response;
    if (!ok) this.transportError();
    return ok;
  }

  /**
   * Past a final non-2xx only the ACK and retransmissions can still come, and they need only
   * the key and the response's text: the request shrinks to its method, URI, Call-ID and
   * CSeq, and everything kept (the key too) is copied apart from the received message so
   * that it can go.
   */
  protected letRequestGo(): void {
    const { request } = this;
    const previousKey = this.key;
    this.replaceKey(detachedCopy(previousKey));
    const kept: [string, string][] = [];
    for (const name of ['Call-ID', 'CSeq']) {
      const value = request.headers.get(name);
      if (value !== undefined) kept.push([name, detachedCopy(value)]);
    }
    this.replaceRequest(createRequest(detachedCopy(request.method), detachedCopy(request.uri), kept));
    if (this.lastResponseText !== null) this.lastResponseText = detachedCopy(this.lastResponseText);
    const last = this.#lastResponse;
    if (last) this.#lastResponse = createResponse(last.status, detachedCopy(last.reason));
    this.context.resized?.(this, previousKey);
  }

  /**
   * The reliable connection it came on closed: no ACK can come on it any more, so an INVITE
   * transaction waiting for one ends now instead of at timer H.
   */
  connectionClosed(): void {}

  protected resendLast(): void {
    if (this.lastResponseText !== null && !this.sendText(this.lastResponseText)) this.transportError();
  }

  protected transportError(): void {
    this.callTu(() => this.delegate.onTransportError?.());
    this.terminate();
  }

  protected override onTerminated(): void {
    this.callTu(() => this.delegate.onTerminated?.());
  }
}

/** RFC 3261 17.2.1, with the Accepted state of RFC 6026. */
export class InviteServerTransaction extends ServerTransactionBase {
  readonly kind = 'invite' as const;
  #state: InviteServerState = 'proceeding';
  /** Set by the TU when a CANCEL for this INVITE arrived. */
  cancelled = false;
  readonly #autoTrying: boolean;

  constructor(
    key: string,
    request: SipRequest,
    connection: SipConnection,
    context: TransactionContext,
    autoTrying: boolean,
  ) {
    super(key, request, connection, context);
    this.#autoTrying = autoTrying;
  }

  awaitAnswer(): void {
    // RFC 3261 17.2.1: 100 Trying unless the TU answers within 200 ms.
    if (!this.#autoTrying || this.#state !== 'proceeding' || this.lastResponse !== null) return;
    this.startTimer('trying', this.sinceArrival(this.config.tryingDelay), () => {
      if (this.lastResponse === null) this.respond(buildResponse(this.request, 100, 'Trying'));
    });
  }

  get state(): InviteServerState {
    return this.#state;
  }

  respond(response: SipResponse): boolean {
    const { status } = response;
    if (this.#state === 'accepted') {
      // Further 2xx (other forks, the UAS's retransmissions) pass through; nothing else.
      return status >= 200 && status < 300 && this.sendResponse(response);
    }
    if (this.#state !== 'proceeding') return false;
    this.stopTimer('trying');
    if (status < 200) return this.sendResponse(response);
    if (status < 300) {
      this.#state = 'accepted';
      if (!this.sendResponse(response)) return false;
      this.startTimer('L', this.durations.L, () => this.terminate());
      return true;
    }
    this.#state = 'completed';
    if (!this.sendResponse(response)) return false;
    this.letRequestGo();
    if (!this.reliable) this.#scheduleG(this.config.t1);
    this.startTimer('H', this.durations.H, () => {
      this.callTu(() => this.delegate.onTimeout?.());
      this.terminate();
    });
    return true;
  }

  #scheduleG(interval: number): void {
    this.startTimer('G', interval, () => {
      if (this.#state !== 'completed') return;
      this.resendLast();
      this.#scheduleG(Math.min(interval * 2, this.config.t2));
    });
  }

  receiveRequest(request: SipRequest): boolean {
    if (request.method === 'ACK') {
      if (this.#state === 'accepted') return false;
      if (this.#state === 'completed') {
        this.#state = 'confirmed';
        this.stopTimer('G');
        this.stopTimer('H');
        this.after('I', this.durations.I, () => this.terminate());
      }
      return true;
    }
    // A retransmitted INVITE: repeat the last provisional or final response.
    if (this.#state === 'proceeding' || this.#state === 'completed') this.resendLast();
    return true;
  }

  override connectionClosed(): void {
    if (this.#state === 'completed' && this.reliable) this.terminate();
  }

  protected override terminate(): void {
    this.#state = 'terminated';
    super.terminate();
  }
}

/** RFC 3261 17.2.2. */
export class NonInviteServerTransaction extends ServerTransactionBase {
  readonly kind = 'non-invite' as const;
  #state: NonInviteServerState = 'trying';

  awaitAnswer(): void {
    if (this.#state !== 'trying' && this.#state !== 'proceeding') return;
    // The client gives up after timer F (64*T1); a TU that never answers must not leave
    // the transaction (and its memory) behind forever.
    this.startTimer('abandon', this.sinceArrival(this.durations.F), () => {
      this.callTu(() => this.delegate.onTimeout?.());
      this.terminate();
    });
  }

  get state(): NonInviteServerState {
    return this.#state;
  }

  respond(response: SipResponse): boolean {
    if (this.#state !== 'trying' && this.#state !== 'proceeding') return false;
    if (response.status < 200) {
      this.#state = 'proceeding';
      return this.sendResponse(response);
    }
    this.#state = 'completed';
    this.stopTimer('abandon');
    if (!this.sendResponse(response)) return false;
    // Unreliable transports keep it for timer J: only the response's text is needed then.
    if (!this.reliable) this.letRequestGo();
    this.after('J', this.durations.J, () => this.terminate());
    return true;
  }

  receiveRequest(): boolean {
    // In Trying there is nothing to repeat; the retransmission is simply absorbed.
    if (this.#state !== 'trying') this.resendLast();
    return true;
  }

  protected override terminate(): void {
    this.#state = 'terminated';
    super.terminate();
  }
}

export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;
