type Listener = () => void;

/**
 * Who wants to hear that a connection closed (a registration, a call on it). Each is told once; one
 * that throws is reported and the rest are still told. Datagram and stream connections keep their
 * listeners this one way.
 *
 * Most connections have one at a time (the edge's own, once a phone has signed in), so one is held
 * as it is and a Set only while there are several: a Set kept per connection was ≈ 190 bytes of
 * each registered phone's memory.
 */
export class CloseListeners {
  /** None, one as it is, or a Set of two or more (never fewer: #delete hands the last one back). */
  #listeners: Listener | Set<Listener> | null = null;

  constructor(private readonly reportError: (error: unknown) => void) {}

  /** Adds `listener` (once, however often it is added); the function returned removes it. */
  add(listener: Listener): () => void {
    const held = this.#listeners;
    if (held === null) this.#listeners = listener;
    else if (held instanceof Set) held.add(listener);
    else if (held !== listener) this.#listeners = new Set([held, listener]);
    return () => this.#remove(listener);
  }

  /**
   * The connection has closed: tells every listener once, in the order they came. Each is taken
   * out before it is told, so one added meanwhile is told too and one removed meanwhile is not.
   */
  tell(): void {
    for (let next = this.#takeFirst(); next !== null; next = this.#takeFirst()) this.#call(next);
  }

  #takeFirst(): Listener | null {
    const held = this.#listeners;
    if (!(held instanceof Set)) {
      this.#listeners = null;
      return held;
    }
    const first = held.values().next().value as Listener;
    this.#delete(held, first);
    return first;
  }

  #remove(listener: Listener): void {
    const held = this.#listeners;
    if (held === listener) this.#listeners = null;
    else if (held instanceof Set) this.#delete(held, listener);
  }

  /** Out of the Set; the last one left is held as it is again. */
  #delete(held: Set<Listener>, listener: Listener): void {
    held.delete(listener);
    if (held.size === 1) this.#listeners = held.values().next().value as Listener;
  }

  #call(listener: Listener): void {
    try {
      listener();
    } catch (error) {
      this.reportError(error);
    }
  }
}
