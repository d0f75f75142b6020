import { encodeMessage, type WireMessage } from '../message/serialize-message';
import type { SipMessage, SipRequest } from '../message/sip-message';
import type { SipConnection } from '../transport/transport';
import { timerDurations, type TimerConfig } from './timer-config';
import type { CancelTimer, TimerHost } from './timer-host';

/** What a transaction needs from the layer that owns it. */
export interface TransactionContext {
  timers: TimerHost;
  config: TimerConfig;
  /** Called once when the transaction reaches Terminated. */
  terminated(transaction: Transaction): void;
  /** A TU callback threw; reported, never propagated into the state machine. */
  reportError(error: unknown): void;
  /** What the transaction holds shrank (a server transaction let its request go). */
  resized?(transaction: Transaction): void;
}

export abstract class Transaction {
  abstract readonly state: string;
  #terminated = false;
  readonly #timers = new Map<string, CancelTimer>();
  #request: SipRequest;

  constructor(
    readonly key: string,
    request: SipRequest,
    readonly connection: SipConnection,
    protected readonly context: TransactionContext,
  ) {
    this.#request = request;
  }

  /** The request that started it (for a server transaction past its final non-2xx, a skeleton). */
  get request(): SipRequest {
    return this.#request;
  }

  protected replaceRequest(request: SipRequest): void {
    this.#request = request;
  }

  get reliable(): boolean {
    return this.connection.reliable;
  }

  get isTerminated(): boolean {
    return this.#terminated;
  }

  protected get durations() {
    return timerDurations(this.context.config, this.reliable);
  }

  protected get config(): TimerConfig {
    return this.context.config;
  }

  /** Sends an already-encoded message; false on a transport error. */
  protected sendText(text: WireMessage): boolean {
    try {
      return this.connection.send(text);
    } catch (error) {
      this.context.reportError(error);
      return false;
    }
  }

  protected sendMessage(message: SipMessage): { ok: boolean; text: WireMessage } {
    const text = encodeMessage(message);
    return { ok: this.sendText(text), text };
  }

  protected startTimer(name: string, delayMs: number, fire: () => void): void {
    this.stopTimer(name);
    if (this.#terminated) return;
    const cancel = this.context.timers.schedule(delayMs, () => {
      this.#timers.delete(name);
      if (!this.#terminated) fire();
    });
    this.#timers.set(name, cancel);
  }

  protected stopTimer(name: string): void {
    const cancel = this.#timers.get(name);
    if (cancel) {
      cancel();
      this.#timers.delete(name);
    }
  }

  /** Runs `then` after `delayMs`, or at once when the delay is zero (reliable transports). */
  protected after(name: string, delayMs: number, then: () => void): void {
    if (delayMs <= 0) then();
    else this.startTimer(name, delayMs, then);
  }

  protected callTu(callback: (() => void) | undefined): void {
    if (!callback) return;
    try {
      callback();
    } catch (error) {
      this.context.reportError(error);
    }
  }

  /** Moves to Terminated: stops every timer and tells the layer. Idempotent. */
  protected terminate(): void {
    if (this.#terminated) return;
    this.#terminated = true;
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
    this.onTerminated();
    this.context.terminated(this);
  }

  protected abstract onTerminated(): void;
}
