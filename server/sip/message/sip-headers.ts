import { canonicalHeaderName, headerKey, headerName } from './header-names';

interface HeaderEntry {
  /** headerKey of the name: lowercase, compact form expanded. */
  readonly key: string;
  /** The name written on output. */
  readonly name: string;
  values: string[];
  /** The parser that read the first value, and what it read; cleared when the values change. */
  memoParse: ((value: string) => unknown) | undefined;
  memoValue: unknown;
}

function entry(key: string, name: string, values: string[]): HeaderEntry {
  return { key, name, values, memoParse: undefined, memoValue: undefined };
}

/** Its values changed: what was parsed of the first is no longer theirs. */
function forgetParsed(found: HeaderEntry): void {
  found.memoParse = undefined;
  found.memoValue = undefined;
}

/**
 * Headers of one SIP message. Names are case-insensitive and compact forms are the same
 * header (`v` is `Via`); each header keeps its values in order, one value per list item.
 *
 * The entries are an array in first-seen order, searched by key: a message has ten to twenty
 * headers, so a scan costs no more than hashing, and no message allocates a Map and grows its
 * table (bench:sip-cpu: 45.0–45.8 KB allocated per registration with a Map, 43.4–44.2 without).
 */
export class SipHeaders {
  #entries: HeaderEntry[] = [];

  #indexOf(key: string): number {
    const entries = this.#entries;
    for (let i = 0; i < entries.length; i++) if (entries[i]?.key === key) return i;
    return -1;
  }

  #find(key: string): HeaderEntry | undefined {
    const index = this.#indexOf(key);
    return index === -1 ? undefined : this.#entries[index];
  }

  /** The first value, or undefined. */
  get(name: string): string | undefined {
    return this.#find(headerKey(name))?.values[0];
  }

  /**
   * The first value as `parse` reads it, parsed once: every hop that asks again gets the
   * same object until the header is changed (the parse-once of SIP.js's IncomingMessage,
   * done lazily). Undefined when the header is absent. Callers must not mutate the result.
   */
  parsed<T>(name: string, parse: (value: string) => T): T | undefined {
    const found = this.#find(headerKey(name));
    const first = found?.values[0];
    if (found === undefined || first === undefined) return undefined;
    if (found.memoParse === parse) return found.memoValue as T;
    const value = parse(first);
    found.memoParse = parse;
    found.memoValue = value;
    return value;
  }

  /**
   * Replaces the first value with `value`, which `parse` reads as `parsed`: a hop that rewrites
   * a header it has parsed (the edge stamping the top Via) keeps the memo instead of making every
   * later hop parse the new text again.
   */
  replaceFirst<T>(name: string, value: string, parse: (value: string) => T, parsed: T): void {
    const found = this.#find(headerKey(name));
    if (found === undefined || found.values.length === 0) {
      this.set(name, value);
      return;
    }
    found.values[0] = value;
    found.memoParse = parse;
    found.memoValue = parsed;
  }

  getAll(name: string): readonly string[] {
    return this.#find(headerKey(name))?.values ?? [];
  }

  has(name: string): boolean {
    return this.#find(headerKey(name)) !== undefined;
  }

  set(name: string, value: string | readonly string[]): void {
    const values = typeof value === 'string' ? [value] : [...value];
    if (values.length === 0) {
      this.remove(name);
      return;
    }
    const key = headerKey(name);
    const existing = this.#find(key);
    if (existing) {
      existing.values = values;
      forgetParsed(existing);
    } else this.#entries.push(entry(key, canonicalHeaderName(name), values));
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
    const existing = this.#find(key);
    if (existing) existing.values.push(value);
    else this.#entries.push(entry(key, canonicalName, [value]));
  }

  prepend(name: string, value: string): void {
    const key = headerKey(name);
    const existing = this.#find(key);
    if (existing) {
      existing.values.unshift(value);
      forgetParsed(existing);
    } else this.#entries.push(entry(key, canonicalHeaderName(name), [value]));
  }

  remove(name: string): void {
    const index = this.#indexOf(headerKey(name));
    if (index !== -1) this.#entries.splice(index, 1);
  }

  /** Removes and returns the first value (a proxy popping its own Via). */
  shift(name: string): string | undefined {
    const index = this.#indexOf(headerKey(name));
    const found = index === -1 ? undefined : this.#entries[index];
    if (!found) return undefined;
    const first = found.values.shift();
    forgetParsed(found);
    if (found.values.length === 0) this.#entries.splice(index, 1);
    return first;
  }

  /** Total number of header values. */
  get size(): number {
    let count = 0;
    for (const found of this.#entries) count += found.values.length;
    return count;
  }

  /**
   * Each header's canonical name, values and key (as headerKey gives it), in first-seen order:
   * the encoder's walk over every message sent, without an iterator and an entry per header.
   */
  forEach(visit: (name: string, values: readonly string[], key: string) => void): void {
    const entries = this.#entries;
    for (let i = 0; i < entries.length; i++) {
      const found = entries[i];
      if (found !== undefined) visit(found.name, found.values, found.key);
    }
  }

  /** [canonical name, values] in first-seen order. */
  *entries(): IterableIterator<[string, readonly string[]]> {
    for (const found of this.#entries) yield [found.name, found.values];
  }

  /** A copy that keeps what was parsed (a forwarded request is not parsed again). */
  clone(): SipHeaders {
    const copy = new SipHeaders();
    copy.#entries = this.#entries.map((found) => ({ ...found, values: [...found.values] }));
    return copy;
  }
}
