import type { SipRequest, SipResponse } from '../message/sip-message';
import type { SipConnection } from '../transport/transport';
import { buildAckForNon2xx } from './request-builders';
import type { WireMessage } from '../message/serialize-message';
import { Transaction, type TransactionContext } from './transaction';

export interface ClientTransactionDelegate {
  onProvisional?(response: SipResponse): void;
  /**
   * A final response. For INVITE, further 2xx responses (retransmissions or other forks)
   * arriving in the Accepted state (RFC 6026) are passed here too.
   */
  onFinal?(response: SipResponse): void;
  /** Timer B or F: no final response in time. */
  onTimeout?(): void;
  onTransportError?(): void;
  onTerminated?(): void;
}

export type InviteClientState = 'calling' | 'proceeding' | 'accepted' | 'completed' | 'terminated';
export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

abstract class ClientTransactionBase extends Transaction {
  protected requestText: WireMessage = '';

  constructor(
    key: string,
    request: SipRequest,
    connection: SipConnection,
    context: TransactionContext,
    readonly delegate: ClientTransactionDelegate,
  ) {
    super(key, request, connection, context);
  }

  abstract start(): void;
  abstract receiveResponse(response: SipResponse): void;

  protected sendRequestOrFail(): boolean {
    const { ok, text } = this.sendMessage(this.request);
    this.requestText = text;
    if (!ok) this.transportError();
    return ok;
  }

  protected retransmit(): void {
    if (!this.sendText(this.requestText)) this.transportError();
  }

  protected transportError(): void {
    this.callTu(() => this.delegate.onTransportError?.());
    this.terminate();
  }

  protected timeout(): void {
    this.callTu(() => this.delegate.onTimeout?.());
    this.terminate();
  }

  protected override onTerminated(): void {
    this.callTu(() => this.delegate.onTerminated?.());
  }
}

/** RFC 3261 17.1.1, with the Accepted state of RFC 6026. */
export class InviteClientTransaction extends ClientTransactionBase {
  readonly kind = 'invite' as const;
  #state: InviteClientState = 'calling';
  #ackText: WireMessage | null = null;

  get state(): InviteClientState {
    return this.#state;
  }

  start(): void {
    if (!this.sendRequestOrFail()) return;
    if (!this.reliable) this.#scheduleA(this.config.t1);
    this.startTimer('B', this.durations.B, () => this.timeout());
  }

  #scheduleA(interval: number): void {
    this.startTimer('A', interval, () => {
      if (this.#state !== 'calling') return;
      this.retransmit();
      this.#scheduleA(interval * 2);
    });
  }

  receiveResponse(response: SipResponse): void {
    const { status } = response;
    const fresh = this.#state === 'calling' || this.#state === 'proceeding';
    if (status < 200) {
      if (!fresh) return;
      this.#state = 'proceeding';
      // Timer B covers only Calling; once something answered, the TU's own timer rules.
      this.stopTimer('A');
      this.stopTimer('B');
      this.callTu(() => this.delegate.onProvisional?.(response));
    } else if (status < 300) {
      if (fresh) {
        this.#state = 'accepted';
        this.stopTimer('A');
        this.stopTimer('B');
        this.startTimer('M', this.durations.M, () => this.terminate());
        this.callTu(() => this.delegate.onFinal?.(response));
      } else if (this.#state === 'accepted') {
        this.callTu(() => this.delegate.onFinal?.(response));
      }
    } else if (fresh) {
      this.#state = 'completed';
      this.stopTimer('A');
      this.stopTimer('B');
      this.#sendAck(response);
      this.callTu(() => this.delegate.onFinal?.(response));
      this.after('D', this.durations.D, () => this.terminate());
    } else if (this.#state === 'completed' && this.#ackText !== null) {
      // A retransmitted final response: the ACK was lost, send it again.
      if (!this.sendText(this.#ackText)) this.transportError();
    }
  }

  #sendAck(response: SipResponse): void {
    const { ok, text } = this.sendMessage(buildAckForNon2xx(this.request, response));
    this.#ackText = text;
    if (!ok) this.transportError();
  }

  protected override terminate(): void {
    this.#state = 'terminated';
    super.terminate();
  }
}

/** RFC 3261 17.1.2. */
export class NonInviteClientTransaction extends ClientTransactionBase {
  readonly kind = 'non-invite' as const;
  #state: NonInviteClientState = 'trying';

  get state(): NonInviteClientState {
    return this.#state;
  }

  start(): void {
    if (!this.sendRequestOrFail()) return;
    if (!this.reliable) this.#scheduleE(this.config.t1);
    this.startTimer('F', this.durations.F, () => this.timeout());
  }

  #scheduleE(interval: number): void {
    this.startTimer('E', interval, () => {
      this.retransmit();
      if (this.isTerminated) return;
      const next = this.#state === 'proceeding' ? this.config.t2 : Math.min(interval * 2, this.config.t2);
      this.#scheduleE(next);
    });
  }

  receiveResponse(response: SipResponse): void {
    if (this.#state !== 'trying' && this.#state !== 'proceeding') return;
    if (response.status < 200) {
      this.#state = 'proceeding';
      this.callTu(() => this.delegate.onProvisional?.(response));
      return;
    }
    this.#state = 'completed';
    this.stopTimer('E');
    this.stopTimer('F');
    this.callTu(() => this.delegate.onFinal?.(response));
    this.after('K', this.durations.K, () => this.terminate());
  }

  protected override terminate(): void {
    this.#state = 'terminated';
    super.terminate();
  }
}

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
