import { buildResponse } from '../message/build-response';
import { encodeMessage } from '../message/serialize-message';
import type { SipMessage, SipRequest, SipResponse } from '../message/sip-message';
import type { SipConnection, SipTransport } from '../transport/transport';
import {
  InviteClientTransaction,
  NonInviteClientTransaction,
  type ClientTransaction,
  type ClientTransactionDelegate,
} from './client-transaction';
import { requestBytes } from './held-memory';
import { PreAuthBudget, type PreAuthLimits } from './pre-auth-budget';
import { buildCancel } from './request-builders';
import {
  InviteServerTransaction,
  NonInviteServerTransaction,
  type ServerTransaction,
} from './server-transaction';
import { defaultTimerConfig, type TimerConfig } from './timer-config';
import { systemTimerHost, type TimerHost } from './timer-host';
import type { Transaction, TransactionContext } from './transaction';
import { clientTransactionKey, serverTransactionKey } from './transaction-key';

export interface IncomingRequestContext {
  connection: SipConnection;
  /** The new server transaction; null for an ACK, which has none (ACK to a 2xx). */
  transaction: ServerTransaction | null;
  /** For CANCEL: the INVITE server transaction it matches (RFC 3261 9.2), if any. */
  cancelTarget: InviteServerTransaction | null;
}

export type RequestHandler = (request: SipRequest, context: IncomingRequestContext) => void;
export type StrayResponseHandler = (response: SipResponse, connection: SipConnection) => void;

export interface TransactionLayerOptions {
  timers?: TimerHost;
  config?: Partial<TimerConfig>;
  /** Send 100 Trying for INVITEs the TU leaves unanswered for 200 ms (default true). */
  autoTrying?: boolean;
  /** Errors thrown by handlers and callbacks; they never reach the transport. */
  onError?: (error: unknown) => void;
  /** What connections that have not authenticated may hold (see PreAuthLimits). */
  preAuth?: Partial<PreAuthLimits>;
  /** A connection went over its pre-authentication limits and was closed (told once per connection). */
  onLimit?: (connection: SipConnection, sentence: string) => void;
}

export class TransactionLayer {
  readonly #clients = new Map<string, ClientTransaction>();
  readonly #servers = new Map<string, ServerTransaction>();
  readonly #context: TransactionContext;
  readonly #autoTrying: boolean;
  readonly #onError: (error: unknown) => void;
  readonly #onLimit: (connection: SipConnection, sentence: string) => void;
  readonly #budget: PreAuthBudget;
  #requestHandler: RequestHandler | null = null;
  #strayHandler: StrayResponseHandler | null = null;
  /**
   * Server transactions that came in during this turn of the event loop. Their wait timers
   * (100 Trying, the non-INVITE abandon) start at its end, only for those still unanswered:
   * a request answered within its turn costs no timer.
   */
  readonly #arrived: ServerTransaction[] = [];
  readonly #startWaits = (): void => {
    const arrived = this.#arrived;
    for (let i = 0; i < arrived.length; i++) {
      try {
        arrived[i]?.awaitAnswer();
      } catch (error) {
        this.#onError(error);
      }
    }
    arrived.length = 0;
  };

  constructor(options: TransactionLayerOptions = {}) {
    this.#onError = options.onError ?? (() => {});
    this.#autoTrying = options.autoTrying ?? true;
    this.#onLimit = options.onLimit ?? (() => {});
    this.#budget = new PreAuthBudget(options.preAuth);
    this.#context = {
      timers: options.timers ?? systemTimerHost,
      config: { ...defaultTimerConfig, ...options.config },
      terminated: (transaction) => this.#forget(transaction),
      reportError: (error) => this.#onError(error),
      resized: (transaction, previousKey) => {
        if (!isServerTransaction(transaction)) return;
        if (this.#servers.get(previousKey) === transaction) {
          this.#servers.delete(previousKey);
          this.#servers.set(transaction.key, transaction);
        }
        this.#budget.resize(transaction, transaction.heldBytes);
      },
    };
  }

  /** Receives every message of a transport; returns the unsubscribe function. */
  attach(transport: SipTransport): () => void {
    return transport.onMessage((message, connection) => this.receive(message, connection));
  }

  onRequest(handler: RequestHandler): void {
    this.#requestHandler = handler;
  }

  /** Responses that match no client transaction (a proxy forwards them statelessly). */
  onStrayResponse(handler: StrayResponseHandler): void {
    this.#strayHandler = handler;
  }

  get transactionCount(): { client: number; server: number } {
    return { client: this.#clients.size, server: this.#servers.size };
  }

  /** Connections and addresses holding transactions before authentication. */
  get preAuthHolders(): { connections: number; addresses: number } {
    return this.#budget.size;
  }

  /** Entry point for every parsed message from a transport. Never throws. */
  receive(message: SipMessage, connection: SipConnection): void {
    try {
      if (message.kind === 'response') this.#receiveResponse(message, connection);
      else this.#receiveRequest(message, connection);
    } catch (error) {
      this.#onError(error);
    }
  }

  /**
   * Starts a client transaction. The request must carry its top Via with an RFC 3261
   * branch (see generateBranch). ACK is not sent this way: use sendStateless.
   */
  sendRequest(
    request: SipRequest,
    connection: SipConnection,
    delegate: ClientTransactionDelegate = {},
  ): ClientTransaction {
    if (request.method === 'ACK') throw new Error('ACK has no client transaction; use sendStateless');
    const key = clientTransactionKey(request);
    if (key === null) throw new Error('Request needs a top Via with a branch and a CSeq');
    if (this.#clients.has(key)) throw new Error(`Client transaction ${key} already exists`);
    const transaction =
      request.method === 'INVITE'
        ? new InviteClientTransaction(key, request, connection, this.#context, delegate)
        : new NonInviteClientTransaction(key, request, connection, this.#context, delegate);
    this.#clients.set(key, transaction);
    transaction.start();
    return transaction;
  }

  /** Sends CANCEL for a pending INVITE client transaction, as its own transaction. */
  cancel(
    invite: InviteClientTransaction,
    delegate: ClientTransactionDelegate = {},
    reason?: string,
  ): NonInviteClientTransaction {
    const transaction = this.sendRequest(buildCancel(invite.request, reason), invite.connection, delegate);
    if (transaction.kind !== 'non-invite') throw new Error('unreachable');
    return transaction;
  }

  respond(transaction: ServerTransaction, response: SipResponse): boolean {
    return transaction.respond(response);
  }

  /** Sends outside any transaction (ACK for 2xx, stateless forwarding). */
  sendStateless(message: SipMessage, connection: SipConnection): boolean {
    try {
      return connection.send(encodeMessage(message));
    } catch (error) {
      this.#onError(error);
      return false;
    }
  }

  #receiveResponse(response: SipResponse, connection: SipConnection): void {
    const key = clientTransactionKey(response);
    const transaction = key === null ? undefined : this.#clients.get(key);
    if (transaction) transaction.receiveResponse(response);
    else this.#strayHandler?.(response, connection);
  }

  #receiveRequest(request: SipRequest, connection: SipConnection): void {
    if (this.#budget.isRefused(connection)) return;
    // Built from the request's text, so it keeps the message alive: a transaction that outlives
    // its request (letRequestGo) swaps it for a copy then, and one answered at once never does.
    const key = serverTransactionKey(request);
    if (key === null) return;
    const existing = this.#servers.get(key);
    if (existing) {
      // A retransmission or the ACK of a non-2xx is absorbed by its transaction.
      if (existing.receiveRequest(request)) return;
      this.#dispatch(request, { connection, transaction: null, cancelTarget: null });
      return;
    }
    if (request.method === 'ACK') {
      this.#dispatch(request, { connection, transaction: null, cancelTarget: null });
      return;
    }
    const preAuth = !connection.authenticated;
    const bytes = preAuth ? key.length + requestBytes(request) : 0;
    if (!preAuth) this.#budget.forgive(connection);
    else if (!this.#withinBudget(connection, bytes)) return;
    const transaction =
      request.method === 'INVITE'
        ? new InviteServerTransaction(key, request, connection, this.#context, this.#autoTrying)
        : new NonInviteServerTransaction(key, request, connection, this.#context);
    this.#servers.set(key, transaction);
    if (preAuth) this.#budget.charge(transaction, bytes);
    let cancelTarget: InviteServerTransaction | null = null;
    if (request.method === 'CANCEL') {
      const inviteKey = serverTransactionKey(request, 'INVITE');
      const target = inviteKey === null ? undefined : this.#servers.get(inviteKey);
      if (target?.kind === 'invite') cancelTarget = target;
    }
    this.#dispatch(request, { connection, transaction, cancelTarget });
    if (!transaction.isTerminated && this.#arrived.push(transaction) === 1) {
      this.#context.timers.soon(this.#startWaits);
    }
  }

  /** Closes a connection that would go over its pre-authentication limits (said once). */
  #withinBudget(connection: SipConnection, bytes: number): boolean {
    const over = this.#budget.overLimit(connection, bytes);
    if (over === null) return true;
    this.#budget.refuse(connection);
    try {
      this.#onLimit(connection, over);
      connection.close(over);
    } catch (error) {
      this.#onError(error);
    }
    return false;
  }

  #dispatch(request: SipRequest, context: IncomingRequestContext): void {
    try {
      if (!this.#requestHandler) throw new Error('No request handler');
      this.#requestHandler(request, context);
    } catch (error) {
      this.#onError(error);
      // A TU failure still gets the peer an answer instead of a retransmission storm.
      const { transaction } = context;
      if (transaction && transaction.lastResponse === null) {
        transaction.respond(buildResponse(request, 500, 'Server Internal Error'));
      }
    }
  }

  #forget(transaction: Transaction): void {
    if (!isServerTransaction(transaction)) {
      if (this.#clients.get(transaction.key) === transaction) this.#clients.delete(transaction.key);
      return;
    }
    this.#budget.release(transaction);
    if (this.#servers.get(transaction.key) === transaction) this.#servers.delete(transaction.key);
  }
}

function isServerTransaction(transaction: Transaction): transaction is ServerTransaction {
  return transaction instanceof InviteServerTransaction || transaction instanceof NonInviteServerTransaction;
}
