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
  /**
   * What the transaction holds shrank (a server transaction let its request go); its key is
   * now a copy of `previousKey` that keeps nothing of the received message alive.
   */
  resized?(transaction: Transaction, previousKey: string): void;
}

export abstract class Transaction {
  abstract readonly state: string;
  #terminated = false;
  /** Running timers by name; made with the first one (a REGISTER answered at once has none). */
  #timers: Map<string, CancelTimer> | null = null;
  #request: SipRequest;
  #key: string;

  constructor(
    key: string,
    request: SipRequest,
    readonly connection: SipConnection,
    protected readonly context: TransactionContext,
  ) {
    this.#key = key;
    this.#request = request;
  }

  /** What the layer finds it by (RFC 3261 17.1.3, 17.2.3). */
  get key(): string {
    return this.#key;
  }

  protected replaceKey(key: string): void {
    this.#key = key;
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

  /** Worked out once per transaction (most ask twice: a timer at the start, one at the end). */
  #durations: ReturnType<typeof timerDurations> | null = null;

  protected get durations(): ReturnType<typeof timerDurations> {
    return (this.#durations ??= timerDurations(this.context.config, this.reliable));
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
    const timers = (this.#timers ??= new Map());
    const cancel = this.context.timers.schedule(delayMs, () => {
      timers.delete(name);
      if (!this.#terminated) fire();
    });
    timers.set(name, cancel);
  }

  protected stopTimer(name: string): void {
    const cancel = this.#timers?.get(name);
    if (cancel) {
      cancel();
      this.#timers?.delete(name);
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
    if (this.#timers !== null) {
      for (const cancel of this.#timers.values()) cancel();
      this.#timers.clear();
    }
    this.onTerminated();
    this.context.terminated(this);
  }

  protected abstract onTerminated(): void;
}
