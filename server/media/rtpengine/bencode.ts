/**
 * Bencode (the BitTorrent encoding) as rtpengine's ng protocol uses it: byte strings, integers,
 * lists and dictionaries. Strings are decoded as UTF-8 (ng carries SDP, tags and reasons, all
 * text); a dictionary's keys are written sorted, as the format requires.
 */
export type BencodeValue = string | number | BencodeValue[] | { [key: string]: BencodeValue };

/** What `bencode` takes: as BencodeValue, but a dictionary entry may be `undefined` (left out). */
export type BencodeInput = string | number | BencodeInput[] | { [key: string]: BencodeInput | undefined };

/** Thrown for bytes that are not bencode; the message says where it went wrong. */
export class BencodeError extends Error {
  override name = 'BencodeError';
}

/** The bencoded bytes of `value` (integers must be whole; `undefined` dictionary entries are left out). */
export function bencode(value: BencodeInput): Buffer {
  const parts: Buffer[] = [];
  write(value, parts);
  return Buffer.concat(parts);
}

function write(value: BencodeInput, parts: Buffer[]): void {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    parts.push(Buffer.from(`${bytes.length}:`, 'ascii'), bytes);
  } else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      throw new BencodeError(`Bencode integers must be whole (got ${value}).`);
    parts.push(Buffer.from(`i${value}e`, 'ascii'));
  } else if (Array.isArray(value)) {
    parts.push(Buffer.from('l'));
    for (const item of value) write(item, parts);
    parts.push(Buffer.from('e'));
  } else {
    parts.push(Buffer.from('d'));
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
    for (const key of keys) {
      write(key, parts);
      write(value[key] as BencodeInput, parts);
    }
    parts.push(Buffer.from('e'));
  }
}

const COLON = 0x3a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** The value encoded in `bytes` (all of them: trailing bytes are an error). Throws BencodeError. */
export function bdecode(bytes: Buffer): BencodeValue {
  const { value, end } = read(bytes, 0, 0);
  if (end !== bytes.length)
    throw new BencodeError(`Bencode has ${bytes.length - end} bytes after its value.`);
  return value;
}

const MAX_DEPTH = 64;

function read(bytes: Buffer, at: number, depth: number): { value: BencodeValue; end: number } {
  if (depth > MAX_DEPTH) throw new BencodeError(`Bencode is nested deeper than ${MAX_DEPTH} levels.`);
  const first = bytes[at];
  if (first === undefined) throw new BencodeError(`Bencode ends early at byte ${at}.`);
  if (first === 0x69 /* i */) {
    const end = bytes.indexOf(0x65 /* e */, at + 1);
    const text = end < 0 ? '' : bytes.toString('ascii', at + 1, end);
    if (!/^(0|-?[1-9][0-9]*)$/.test(text) || !Number.isSafeInteger(Number(text)))
      throw new BencodeError(`Bencode has a malformed integer at byte ${at}.`);
    return { value: Number(text), end: end + 1 };
  }
  if (first === 0x6c /* l */) {
    const list: BencodeValue[] = [];
    let next = at + 1;
    while (bytes[next] !== 0x65) {
      const item = read(bytes, next, depth + 1);
      list.push(item.value);
      next = item.end;
    }
    return { value: list, end: next + 1 };
  }
  if (first === 0x64 /* d */) {
    const dict: Record<string, BencodeValue> = {};
    let next = at + 1;
    while (bytes[next] !== 0x65) {
      if (bytes[next] === undefined) throw new BencodeError(`Bencode ends early at byte ${next}.`);
      const key = read(bytes, next, depth + 1);
      if (typeof key.value !== 'string')
        throw new BencodeError(`Bencode has a dictionary key that is not a string at byte ${next}.`);
      const item = read(bytes, key.end, depth + 1);
      Object.defineProperty(dict, key.value, { value: item.value, enumerable: true, writable: true });
      next = item.end;
    }
    return { value: dict, end: next + 1 };
  }
  if (first >= DIGIT_0 && first <= DIGIT_9) {
    const colon = bytes.indexOf(COLON, at);
    const text = colon < 0 ? '' : bytes.toString('ascii', at, colon);
    if (!/^(0|[1-9][0-9]*)$/.test(text))
      throw new BencodeError(`Bencode has a malformed string length at byte ${at}.`);
    const end = colon + 1 + Number(text);
    if (end > bytes.length) throw new BencodeError(`Bencode string at byte ${at} runs past the end.`);
    return { value: bytes.toString('utf8', colon + 1, end), end };
  }
  throw new BencodeError(`Bencode has an unexpected byte 0x${first.toString(16)} at byte ${at}.`);
}
