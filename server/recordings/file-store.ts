import { open, mkdir, readdir, readFile, rm, stat, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { ChunkOutcome, RecordingStore } from './recording-store';

const FILE = 'recording.webm';
const ID_PATTERN = /^[A-Za-z0-9-]+$/;

/** Recordings as files: `<root>/<id>/<seq>.webm` while recording, then `<root>/<id>/recording.webm`. */
export class FileRecordingStore implements RecordingStore {
  readonly kind = 'files';

  constructor(private readonly root: string) {}

  #dir(id: string): string {
    // Ids are the server's own UUIDs; anything else never becomes a path.
    if (!ID_PATTERN.test(id)) throw new Error(`Not a recording id: ${id}`);
    return path.join(this.root, id);
  }

  async putChunk(id: string, seq: number, data: Buffer): Promise<ChunkOutcome> {
    const dir = this.#dir(id);
    const file = path.join(dir, `${seq}.webm`);
    const existing = await readFile(file).catch(() => null);
    if (existing) return existing.equals(data) ? 'same' : 'different';
    await mkdir(dir, { recursive: true });
    // Written aside and renamed: a crash mid-write leaves no half chunk under its number.
    const partial = `${file}.${process.pid}.part`;
    await writeFile(partial, data);
    await rename(partial, file);
    return 'stored';
  }

  async chunks(id: string): Promise<(Buffer | undefined)[]> {
    const dir = this.#dir(id);
    const names = await readdir(dir).catch(() => [] as string[]);
    const seqs = names
      .map((name) => /^(\d+)\.webm$/.exec(name)?.[1])
      .filter((seq): seq is string => seq !== undefined)
      .map(Number);
    const out: (Buffer | undefined)[] = [];
    for (const seq of seqs) out[seq] = await readFile(path.join(dir, `${seq}.webm`));
    return Array.from({ length: out.length }, (_, i) => out[i]);
  }

  async putFile(id: string, data: Buffer): Promise<void> {
    const dir = this.#dir(id);
    await mkdir(dir, { recursive: true });
    const partial = path.join(dir, `${FILE}.part`);
    await writeFile(partial, data);
    await rename(partial, path.join(dir, FILE));
  }

  async fileSize(id: string): Promise<number | null> {
    const info = await stat(path.join(this.#dir(id), FILE)).catch(() => null);
    return info ? info.size : null;
  }

  async readFile(id: string, start: number, end: number): Promise<Buffer> {
    const handle = await open(path.join(this.#dir(id), FILE), 'r');
    try {
      const out = Buffer.alloc(end - start + 1);
      const { bytesRead } = await handle.read(out, 0, out.length, start);
      return out.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async dropChunks(id: string): Promise<void> {
    const dir = this.#dir(id);
    const names = await readdir(dir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((name) => /^\d+\.webm$/.test(name))
        .map((name) => rm(path.join(dir, name), { force: true })),
    );
  }

  async remove(id: string): Promise<void> {
    await rm(this.#dir(id), { recursive: true, force: true });
  }
}
