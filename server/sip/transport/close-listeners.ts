/**
 * Who wants to hear that a connection closed (a registration, a call on it). Each is told once; one
 * that throws is reported and the rest are still told. Datagram and stream connections keep their
 * listeners this one way.
 */
export class CloseListeners {
  readonly #listeners = new Set<() => void>();

  constructor(private readonly reportError: (error: unknown) => void) {}

  /** Adds `listener`; the function returned removes it. */
  add(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The connection has closed: tells every listener once. */
  tell(): void {
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch (error) {
        this.reportError(error);
      }
    }
    this.#listeners.clear();
  }
}
