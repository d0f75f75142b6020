import { CloseListeners } from './close-listeners';

/**
 * What a stream connection (WebSocket, TCP) keeps besides its socket: whether it has signed in,
 * its place in its address's count of connections that have not, and who wants to hear that it
 * closed. The transports subclass it with their sending and closing.
 */
export abstract class CountedConnection {
  #authenticated = false;
  /** Whether it still counts toward its address's unauthenticated connections. */
  #counted = true;
  readonly #closeListeners = new CloseListeners((error) => this.reportError(error));

  constructor(
    protected readonly reportError: (error: unknown) => void,
    private readonly uncount: () => void,
  ) {}

  get authenticated(): boolean {
    return this.#authenticated;
  }

  markAuthenticated(): void {
    this.#authenticated = true;
    this.stopCounting();
  }

  /** Once authenticated or closed, whichever comes first (a REGISTER may finish after the close). */
  stopCounting(): void {
    if (!this.#counted) return;
    this.#counted = false;
    this.uncount();
  }

  onClose(listener: () => void): () => void {
    return this.#closeListeners.add(listener);
  }

  /** The socket has closed: tell every listener once. */
  closedNow(): void {
    this.#closeListeners.tell();
  }
}
