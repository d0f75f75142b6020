import { FrameWriter } from './frame-codec';

/**
 * Frames collected before they are written to the data pipe without waiting for the end of the
 * turn. Written only at the end of a turn, a batch went through the three processes of a
 * bench:sip round as a convoy: the worker waited while the edge answered all of it, the edge
 * while the worker sent it, each process mostly idle in turn. Handed on every 8 frames, the
 * worker sends the first answers while the edge works on the rest. bench:sip --against-kamailio,
 * 200 clients (REGISTER/s as a share of Kamailio's in the same run): one write per turn 0.80;
 * every 16 frames 0.89, every 8 0.94, every 4 0.87, every 2 0.85; every 8 on the edge's side
 * alone 0.92, on the worker's alone 0.87. The pipe's system calls grow with it, the waiting
 * shrinks more.
 */
const FRAMES_PER_WRITE = 8;

/**
 * One side's frames on their way into the data pipe: written FRAMES_PER_WRITE at a time, and what
 * is left at the end of the turn of the event loop, so a burst costs a few writes, not one each.
 */
export class FrameBatch {
  readonly #frames = new FrameWriter();
  #flushQueued = false;
  readonly #flushLater = (): void => {
    this.#flushQueued = false;
    this.flush();
  };

  constructor(private readonly write: (bytes: Buffer) => void) {}

  push(kind: number, slot: number, payload?: string | Buffer): void {
    this.#frames.push(kind, slot, payload);
    if (this.#frames.count >= FRAMES_PER_WRITE) {
      this.flush();
    } else if (!this.#flushQueued) {
      this.#flushQueued = true;
      setImmediate(this.#flushLater);
    }
  }

  /** Writes what has been collected, now. */
  flush(): void {
    if (!this.#frames.empty) this.write(this.#frames.take());
  }
}
