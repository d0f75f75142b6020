/** What an InsertionIndex holds: anything with a key. */
export interface Keyed {
  readonly key: string;
}

/**
 * Entries by key, and the oldest still held in O(1) amortized, for memories pruned from their
 * oldest end (the nonces waiting for an answer, the nonce-counts remembered). A plain Map pruned
 * by iterating from its start walks every slot deleted since V8 last compacted it (only when it
 * grows), so at 100 000 nonces each prune cost up to 160 µs. Here the order is an array with a
 * moving head: entries deleted out of order stay in it until they reach the head or the array is
 * rebuilt, which happens once they are most of it.
 */
export class InsertionIndex<E extends Keyed> {
  readonly #byKey = new Map<string, E>();
  #order: E[] = [];
  #head = 0;

  get size(): number {
    return this.#byKey.size;
  }

  get(key: string): E | undefined {
    return this.#byKey.get(key);
  }

  /** Adds the entry as the newest; one already under its key is replaced. */
  add(entry: E): void {
    // Deleted first so that the Map's order, which a rebuild copies, is the order of adding too.
    this.#byKey.delete(entry.key);
    this.#byKey.set(entry.key, entry);
    this.#order.push(entry);
    this.#compact();
  }

  delete(key: string): void {
    if (this.#byKey.delete(key)) this.#compact();
  }

  /** The oldest entry still held, or undefined when empty. */
  oldest(): E | undefined {
    while (this.#head < this.#order.length) {
      const entry = this.#order[this.#head] as E;
      if (this.#byKey.get(entry.key) === entry) return entry;
      this.#head++; // deleted or replaced since it was added
    }
    return undefined;
  }

  #compact(): void {
    const listed = this.#order.length - this.#head;
    if (listed > 64 && listed > 2 * this.#byKey.size) {
      // Mostly entries deleted out of order: list the held ones again, in the Map's order.
      this.#order = [...this.#byKey.values()];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head > this.#order.length / 2) {
      this.#order = this.#order.slice(this.#head);
      this.#head = 0;
    }
  }
}
