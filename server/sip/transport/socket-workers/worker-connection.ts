import { CountedConnection } from '../counted-connection';
import type { SipConnection, TransportName } from '../transport';
import type { SocketWorkers } from './socket-workers';

/** A SIP WebSocket whose socket a worker holds (socket-workers.ts): sends and closes go there. */
export class WorkerConnection extends CountedConnection implements SipConnection {
  readonly reliable = true;
  #closed = false;

  constructor(
    readonly id: string,
    readonly transport: TransportName,
    readonly remoteAddress: string,
    readonly remotePort: number,
    private readonly workers: SocketWorkers,
    readonly slot: number,
    reportError: (error: unknown) => void,
    uncount: () => void,
  ) {
    super(reportError, uncount);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Text goes as a text frame, bytes (a binary body) as a binary frame (RFC 7118 4.1). */
  send(text: string | Buffer): boolean {
    if (this.#closed) return false;
    this.workers.send(this.slot, text);
    return true;
  }

  close(reason?: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.workers.close(this.slot, reason);
  }

  /** Its worker says the socket is gone. */
  gone(): void {
    this.#closed = true;
  }
}
