/** What a SIP byte stream (TCP) yields, message by message. */
export type Frame =
  | { kind: 'message'; bytes: Buffer }
  /** A double CRLF between messages: an RFC 5626 keep-alive ping, answered with one CRLF. */
  | { kind: 'ping' }
  /**
   * The stream cannot be framed any further (no Content-Length, too large): the connection must
   * close. `head` is the header section read, to answer the request with `status` if possible.
   */
  | { kind: 'fatal'; reason: string; status: 400 | 513; head: string | null };

const CR = 0x0d;
const LF = 0x0a;
const HEAD_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*([^\r\n]*)$/gim;

/**
 * Splits a stream into SIP messages by Content-Length (RFC 3261 18.3): a message is its header
 * section up to the blank line and exactly Content-Length bytes of body, which it must declare.
 * CRLFs between messages are skipped. Bytes are counted as bytes (a body may be UTF-8).
 */
export class StreamFramer {
  #buffer: Buffer = Buffer.alloc(0);
  #failed = false;

  constructor(private readonly maxMessageBytes: number) {}

  /** Bytes held waiting for the rest of a message. */
  get pending(): number {
    return this.#buffer.length;
  }

  push(chunk: Buffer): Frame[] {
    if (this.#failed) return [];
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.#next();
      if (!frame) break;
      frames.push(frame);
      if (frame.kind === 'fatal') {
        this.#failed = true;
        this.#buffer = Buffer.alloc(0);
        break;
      }
    }
    return frames;
  }

  #next(): Frame | null {
    const buffer = this.#buffer;
    let start = 0;
    while (start < buffer.length && (buffer[start] === CR || buffer[start] === LF)) start++;
    if (start > 0) {
      const skipped = buffer.subarray(0, start);
      this.#buffer = buffer.subarray(start);
      if (skipped.includes(HEAD_END)) return { kind: 'ping' };
      return this.#next();
    }
    const headEnd = buffer.indexOf(HEAD_END);
    if (headEnd === -1) {
      if (buffer.length > this.maxMessageBytes) {
        return { kind: 'fatal', reason: 'Message Too Large', status: 513, head: null };
      }
      return null;
    }
    const head = buffer.subarray(0, headEnd).toString('utf8');
    const lengths = [...head.matchAll(CONTENT_LENGTH)].map((m) => (m[1] ?? '').trim());
    const distinct = new Set(lengths);
    if (distinct.size === 0) return { kind: 'fatal', reason: 'Missing Content-Length', status: 400, head };
    const [declared = ''] = distinct;
    if (distinct.size > 1 || !/^[0-9]{1,10}$/.test(declared)) {
      return { kind: 'fatal', reason: 'Bad Content-Length', status: 400, head };
    }
    const total = headEnd + HEAD_END.length + Number(declared);
    if (total > this.maxMessageBytes)
      return { kind: 'fatal', reason: 'Message Too Large', status: 513, head };
    if (buffer.length < total) return null;
    const bytes = buffer.subarray(0, total);
    this.#buffer = buffer.subarray(total);
    return { kind: 'message', bytes };
  }
}
