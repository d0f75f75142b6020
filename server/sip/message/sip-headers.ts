import { canonicalHeaderName, headerKey } from './header-names';

interface HeaderEntry {
  name: string;
  values: string[];
}

/**
 * Headers of one SIP message. Names are case-insensitive and compact forms are the same
 * header (`v` is `Via`); each header keeps its values in order, one value per list item.
 */
export class SipHeaders {
  readonly #entries = new Map<string, HeaderEntry>();

  /** The first value, or undefined. */
  get(name: string): string | undefined {
    return this.#entries.get(headerKey(name))?.values[0];
  }

  getAll(name: string): readonly string[] {
    return this.#entries.get(headerKey(name))?.values ?? [];
  }

  has(name: string): boolean {
    return this.#entries.has(headerKey(name));
  }

  set(name: string, value: string | readonly string[]): void {
    const values = typeof value === 'string' ? [value] : [...value];
    if (values.length === 0) {
      this.remove(name);
      return;
    }
    const key = headerKey(name);
    const existing = this.#entries.get(key);
    if (existing) existing.values = values;
    else this.#entries.set(key, { name: canonicalHeaderName(name), values });
  }

  append(name: string, value: string): void {
    const key = headerKey(name);
    const existing = this.#entries.get(key);
    if (existing) existing.values.push(value);
    else this.#entries.set(key, { name: canonicalHeaderName(name), values: [value] });
  }

  prepend(name: string, value: string): void {
    const key = headerKey(name);
    const existing = this.#entries.get(key);
    if (existing) existing.values.unshift(value);
    else this.#entries.set(key, { name: canonicalHeaderName(name), values: [value] });
  }

  remove(name: string): void {
    this.#entries.delete(headerKey(name));
  }

  /** Removes and returns the first value (a proxy popping its own Via). */
  shift(name: string): string | undefined {
    const key = headerKey(name);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    const first = entry.values.shift();
    if (entry.values.length === 0) this.#entries.delete(key);
    return first;
  }

  /** Total number of header values. */
  get size(): number {
    let count = 0;
    for (const entry of this.#entries.values()) count += entry.values.length;
    return count;
  }

  /** [canonical name, values] in first-seen order. */
  *entries(): IterableIterator<[string, readonly string[]]> {
    for (const entry of this.#entries.values()) yield [entry.name, entry.values];
  }

  clone(): SipHeaders {
    const copy = new SipHeaders();
    for (const [name, values] of this.entries()) copy.set(name, values);
    return copy;
  }
}
