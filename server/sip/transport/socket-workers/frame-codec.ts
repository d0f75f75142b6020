// The data pipe between the edge and a socket worker: frames of [length u32][kind u8][slot u32]
// [payload], many per write. Text goes as its UTF-8 bytes, so a SIP message costs one encode on
// the way out and one decode on the way in, as it would on its own socket; nothing is escaped or
// parsed as JSON.

/** Bytes before a frame's payload: length (of kind, slot and payload), kind, slot. */
const HEADER = 9;

/** Collects frames and hands them over as one buffer per flush. */
export class FrameWriter {
  #kinds: number[] = [];
  #slots: number[] = [];
  #payloads: (string | Buffer)[] = [];

  /** Frames pushed since the last take. */
  get count(): number {
    return this.#kinds.length;
  }

  get empty(): boolean {
    return this.#kinds.length === 0;
  }

  push(kind: number, slot: number, payload: string | Buffer = ''): void {
    this.#kinds.push(kind);
    this.#slots.push(slot);
    this.#payloads.push(payload);
  }

  /** Everything pushed since the last take, as one buffer. */
  take(): Buffer {
    const count = this.#kinds.length;
    const sizes = new Array<number>(count);
    let total = 0;
    for (let i = 0; i < count; i++) {
      const payload = this.#payloads[i] ?? '';
      const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
      sizes[i] = size;
      total += HEADER + size;
    }
    const out = Buffer.allocUnsafe(total);
    let offset = 0;
    for (let i = 0; i < count; i++) {
      const size = sizes[i] ?? 0;
      out.writeUInt32LE(size + 5, offset);
      out[offset + 4] = this.#kinds[i] ?? 0;
      out.writeUInt32LE(this.#slots[i] ?? 0, offset + 5);
      offset += HEADER;
      const payload = this.#payloads[i] ?? '';
      if (typeof payload === 'string') out.write(payload, offset, size, 'utf8');
      else payload.copy(out, offset);
      offset += size;
    }
    this.#kinds = [];
    this.#slots = [];
    this.#payloads = [];
    return out;
  }
}

/** One frame as read: its payload is `bytes[start, end)`, valid only during the callback. */
export type FrameListener = (kind: number, slot: number, bytes: Buffer, start: number, end: number) => void;

/** Cuts a byte stream back into frames, whatever the chunks' boundaries. */
export class FrameReader {
  #pending: Buffer | null = null;

  constructor(private readonly onFrame: FrameListener) {}

  feed(chunk: Buffer): void {
    const bytes = this.#pending ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = null;
    let offset = 0;
    while (bytes.length - offset >= 4) {
      const length = bytes.readUInt32LE(offset);
      if (bytes.length - offset - 4 < length) break;
      const kind = bytes[offset + 4] ?? 0;
      const slot = bytes.readUInt32LE(offset + 5);
      this.onFrame(kind, slot, bytes, offset + HEADER, offset + 4 + length);
      offset += 4 + length;
    }
    if (offset < bytes.length) this.#pending = bytes.subarray(offset);
  }
}
