import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../store/database';
import { insertRecording } from '../store/recordings-repository';
import { freshTestDatabase, testBackends } from '../store/test-database';
import { DatabaseRecordingStore } from './database-store';
import { FileRecordingStore } from './file-store';
import type { RecordingStore } from './recording-store';

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

async function exercise(store: RecordingStore, id: string): Promise<void> {
  expect(await store.putChunk(id, 0, Buffer.from('zero'))).toBe('stored');
  expect(await store.putChunk(id, 0, Buffer.from('zero'))).toBe('same');
  expect(await store.putChunk(id, 0, Buffer.from('other'))).toBe('different');
  expect(await store.putChunk(id, 2, Buffer.from('two'))).toBe('stored');
  const chunks = await store.chunks(id);
  expect(chunks.map((chunk) => chunk?.toString() ?? null)).toEqual(['zero', null, 'two']);
  expect(await store.fileSize(id)).toBeNull();
  await store.putFile(id, Buffer.from('0123456789'));
  expect(await store.fileSize(id)).toBe(10);
  expect((await store.readFile(id, 2, 5)).toString()).toBe('2345');
  expect((await store.readFile(id, 8, 9)).toString()).toBe('89');
  await store.dropChunks(id);
  expect(await store.chunks(id)).toEqual([]);
  expect(await store.fileSize(id)).toBe(10);
  await store.remove(id);
  expect(await store.fileSize(id)).toBeNull();
}

describe('recording stores', () => {
  for (const backend of testBackends())
    describe(`PostgreSQL bytea (${backend})`, () => {
      let database: Database;
      beforeAll(async () => {
        database = await freshTestDatabase(backend);
      });
      afterAll(async () => {
        await database.close();
      });
      it('chunks by number, idempotent, the file by ranges', async () => {
        const id = '11111111-2222-3333-4444-555555555555';
        await insertRecording(database.db, {
          id,
          callId: 'call-1',
          userId: null,
          username: 'rec',
          expiresAt: new Date(Date.now() + 86_400_000),
        });
        await exercise(new DatabaseRecordingStore(database.db), id);
      });
    });

  it('files in DATA_DIR/recordings: the same behaviour, ids that are not ours never become paths', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'switchboard-store-'));
    folders.push(folder);
    const store = new FileRecordingStore(folder);
    await exercise(store, 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    await expect(store.putChunk('../escape', 0, Buffer.from('x'))).rejects.toThrow('Not a recording id');
  });
});
