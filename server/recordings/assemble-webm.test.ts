import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleWebm, UnreadableRecording } from './assemble-webm';
import { Id, readHeader } from './ebml';

/**
 * 12.5 s that Chromium's MediaRecorder made (audio/webm;codecs=opus, 32 kbps, 440 Hz left and
 * 660 Hz right) and handed out in 1 s slices: a live stream, Segment and Clusters of unknown size.
 */
const stream = readFileSync(new URL('../../test/fixtures/mediarecorder-440-660.webm', import.meta.url));
/** The stream cut as MediaRecorder cuts it: every slice after the first starts inside a block. */
const chunks = Array.from({ length: Math.ceil(stream.length / 4249) }, (_, i) =>
  stream.subarray(i * 4249, (i + 1) * 4249),
);

function topLevel(file: Buffer): Map<number, number> {
  const found = new Map<number, number>();
  const segment = readHeader(file, readHeader(file, 0)!.dataAt + readHeader(file, 0)!.size)!;
  expect(segment.id).toBe(Id.Segment);
  expect(segment.dataAt + segment.size).toBe(file.length);
  for (let at = segment.dataAt; at < file.length;) {
    const child = readHeader(file, at)!;
    found.set(child.id, (found.get(child.id) ?? 0) + 1);
    at = child.dataAt + child.size;
  }
  return found;
}

describe('assembleWebm', () => {
  it('joins the chunks into one file with a Duration, sized elements and Cues', () => {
    const { file, durationMs, silenceFilledMs } = assembleWebm(chunks);
    expect(durationMs).toBeGreaterThan(12_300);
    expect(durationMs).toBeLessThan(12_700);
    expect(silenceFilledMs).toBe(0);
    const elements = topLevel(file);
    expect(elements.get(Id.SeekHead)).toBe(1);
    expect(elements.get(Id.Cues)).toBe(1);
    expect(elements.get(Id.Cluster)).toBeGreaterThanOrEqual(3);
    const info = file.indexOf(Buffer.from([0x44, 0x89]));
    expect(info).toBeGreaterThan(0);
    expect(file.readDoubleBE(info + 2 + 8)).toBeCloseTo(durationMs, -1);
  });

  it('keeps the timeline when a chunk is lost: the span becomes silent frames', () => {
    const whole = assembleWebm(chunks);
    const lost = assembleWebm(chunks.map((chunk, i) => (i === 5 ? undefined : chunk)));
    expect(lost.durationMs).toBe(whole.durationMs);
    expect(lost.silenceFilledMs).toBeGreaterThanOrEqual(900);
    expect(lost.silenceFilledMs).toBeLessThan(2200);
  });

  it('a recording cut off (a closed tab) ends where its last whole block ends', () => {
    const cut = assembleWebm(chunks.slice(0, 7));
    expect(cut.durationMs).toBeGreaterThan(6_500);
    expect(cut.durationMs).toBeLessThan(7_200);
  });

  it('without the first chunk there is no header: a sentence, not a crash', () => {
    expect(() => assembleWebm([undefined, ...chunks.slice(1)])).toThrow(UnreadableRecording);
    expect(() => assembleWebm([Buffer.from('not webm')])).toThrow(/WebM header/);
  });
});
