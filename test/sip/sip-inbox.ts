import type { SipMessage, SipRequest, SipResponse } from '../../server/sip/message/sip-message';

export type Match = (message: SipMessage) => boolean;

/**
 * What a raw test client received and what its test waits for: a message goes to the first
 * waiter it matches, or is queued for a later `next`. Shared by the WebSocket and UDP/TCP clients.
 */
export class SipInbox {
  readonly #queued: SipMessage[] = [];
  readonly #waiters: { match: Match; resolve: (message: SipMessage) => void }[] = [];

  /** @param context what a timeout's error adds (the transport, the last messages seen). */
  constructor(private readonly context: () => string) {}

  deliver(message: SipMessage): void {
    const index = this.#waiters.findIndex((waiter) => waiter.match(message));
    if (index >= 0) this.#waiters.splice(index, 1)[0]?.resolve(message);
    else this.#queued.push(message);
  }

  /** The next message matching, queued or future. */
  next(match: Match = () => true, timeoutMs = 5000): Promise<SipMessage> {
    const index = this.#queued.findIndex(match);
    if (index >= 0) {
      const [message] = this.#queued.splice(index, 1);
      if (message) return Promise.resolve(message);
    }
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (m: SipMessage) => (clearTimeout(timer), resolve(m)) };
      const timer = setTimeout(() => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        reject(new Error(`no matching SIP message within ${timeoutMs} ms${this.context()}`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  async response(callId: string, method: string, final = true, timeoutMs = 5000): Promise<SipResponse> {
    const message = await this.next(
      (m) =>
        m.kind === 'response' &&
        m.headers.get('call-id') === callId &&
        (m.headers.get('cseq') ?? '').endsWith(` ${method}`) &&
        (!final || m.status >= 200),
      timeoutMs,
    );
    if (message.kind !== 'response') throw new Error('unreachable');
    return message;
  }

  async request(method: string, timeoutMs = 5000): Promise<SipRequest> {
    const message = await this.next((m) => m.kind === 'request' && m.method === method, timeoutMs);
    if (message.kind !== 'request') throw new Error('unreachable');
    return message;
  }
}
