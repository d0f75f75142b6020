import { canonicalHeaderName, headerKey, headerName } from './header-names';

interface HeaderEntry {
  name: string;
  values: string[];
  /** The first value parsed, by the parser that read it; dropped when the values change. */
  memo?: { parse: (value: string) => unknown; value: unknown };
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

  /**
   * The first value as `parse` reads it, parsed once: every hop that asks again gets the
   * same object until the header is changed (the parse-once of SIP.js's IncomingMessage,
   * done lazily). Undefined when the header is absent. Callers must not mutate the result.
   */
  parsed<T>(name: string, parse: (value: string) => T): T | undefined {
    const entry = this.#entries.get(headerKey(name));
    const first = entry?.values[0];
    if (entry === undefined || first === undefined) return undefined;
    if (entry.memo?.parse === parse) return entry.memo.value as T;
    const value = parse(first);
    entry.memo = { parse, value };
    return value;
  }

  /**
   * Replaces the first value with `value`, which `parse` reads as `parsed`: a hop that rewrites
   * a header it has parsed (the edge stamping the top Via) keeps the memo instead of making every
   * later hop parse the new text again.
   */
  replaceFirst<T>(name: string, value: string, parse: (value: string) => T, parsed: T): void {
    const entry = this.#entries.get(headerKey(name));
    if (entry === undefined || entry.values.length === 0) {
      this.set(name, value);
      return;
    }
    entry.values[0] = value;
    entry.memo = { parse, value: parsed };
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
    if (existing) {
      existing.values = values;
      existing.memo = undefined;
    } else this.#entries.set(key, { name: canonicalHeaderName(name), values });
  }

  append(name: string, value: string): void {
    const { key, canonical } = headerName(name);
    this.appendKnown(key, canonical, value);
  }

  /**
   * append for a name whose key (headerKey) and canonical name are already known: the parser
   * reads every header of every message and works them out once per spelling.
   */
  appendKnown(key: string, canonicalName: string, value: string): void {
    const existing = this.#entries.get(key);
    if (existing) existing.values.push(value);
    else this.#entries.set(key, { name: canonicalName, values: [value] });
  }

  prepend(name: string, value: string): void {
    const key = headerKey(name);
    const existing = this.#entries.get(key);
    if (existing) {
      existing.values.unshift(value);
      existing.memo = undefined;
    } else this.#entries.set(key, { name: canonicalHeaderName(name), values: [value] });
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
    entry.memo = undefined;
    if (entry.values.length === 0) this.#entries.delete(key);
    return first;
  }

  /** Total number of header values. */
  get size(): number {
    let count = 0;
    for (const entry of this.#entries.values()) count += entry.values.length;
    return count;
  }

  /**
   * Each header's canonical name, values and key (as headerKey gives it), in first-seen order:
   * the encoder's walk over every message sent, without an iterator and an entry per header.
   */
  forEach(visit: (name: string, values: readonly string[], key: string) => void): void {
    this.#entries.forEach((entry, key) => visit(entry.name, entry.values, key));
  }

  /** [canonical name, values] in first-seen order. */
  *entries(): IterableIterator<[string, readonly string[]]> {
    for (const entry of this.#entries.values()) yield [entry.name, entry.values];
  }

  /** A copy that keeps what was parsed (a forwarded request is not parsed again). */
  clone(): SipHeaders {
    const copy = new SipHeaders();
    for (const [key, entry] of this.#entries) {
      copy.#entries.set(key, { name: entry.name, values: [...entry.values], memo: entry.memo });
    }
    return copy;
  }
}
