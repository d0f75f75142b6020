import { parseMessage } from '../message/parse-message';
import type { SipMessage, SipRequest, SipResponse } from '../message/sip-message';
import type { SipConnection, TransportName } from '../transport/transport';

/** An in-memory connection that records what was sent, for transaction tests. */
export class FakeConnection implements SipConnection {
  readonly sent: SipMessage[] = [];
  readonly remotePort = 5060;
  closed = false;
  authenticated = false;
  /** The reason given to close(), if any. */
  closeReason: string | undefined;
  failSends = false;
  readonly #closeListeners = new Set<() => void>();

  constructor(
    readonly transport: TransportName = 'udp',
    readonly id = `fake-${transport}`,
    readonly remoteAddress = '192.0.2.10',
  ) {}

  markAuthenticated(): void {
    this.authenticated = true;
  }

  get reliable(): boolean {
    return this.transport !== 'udp';
  }

  send(text: string | Buffer): boolean {
    if (this.failSends || this.closed) return false;
    const result = parseMessage(text);
    if (!result.ok) throw new Error(`sent an unparseable message: ${result.error.reason}\n${text}`);
    this.sent.push(result.message);
    return true;
  }

  close(reason?: string): void {
    if (this.closed) return;
    this.closeReason = reason;
    this.closed = true;
    for (const listener of this.#closeListeners) listener();
  }

  onClose(listener: () => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  requests(method?: string): SipRequest[] {
    return this.sent.filter(
      (m): m is SipRequest => m.kind === 'request' && (method === undefined || m.method === method),
    );
  }

  responses(status?: number): SipResponse[] {
    return this.sent.filter(
      (m): m is SipResponse => m.kind === 'response' && (status === undefined || m.status === status),
    );
  }
}
