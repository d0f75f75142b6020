import { describe, expect, it } from 'vitest';
import { FrameReader, FrameWriter } from './frame-codec';

type Frame = { kind: number; slot: number; payload: Buffer };

function collect(): { frames: Frame[]; reader: FrameReader } {
  const frames: Frame[] = [];
  const reader = new FrameReader((kind, slot, bytes, start, end) =>
    frames.push({ kind, slot, payload: Buffer.from(bytes.subarray(start, end)) }),
  );
  return { frames, reader };
}

describe('frame codec of the socket workers’ data pipe', () => {
  const register = 'REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/WS a.invalid;branch=z9hG4bK1\r\n\r\n';
  const accented = 'MESSAGE sip:zoë@example.com SIP/2.0\r\n\r\nGrüße, 日本 ✓';
  const binary = Buffer.from([0, 255, 13, 10, 128, 7]);

  it('carries text as UTF-8, bytes as they are and empty payloads, in order', () => {
    const writer = new FrameWriter();
    expect(writer.empty).toBe(true);
    writer.push(1, 7, register);
    writer.push(1, 4_000_000_000, accented);
    writer.push(2, 8, binary);
    writer.push(0, 9);
    expect(writer.empty).toBe(false);
    expect(writer.count).toBe(4);
    const { frames, reader } = collect();
    reader.feed(writer.take());
    expect(writer.empty).toBe(true);
    expect(writer.count).toBe(0);
    expect(frames.map(({ kind, slot }) => [kind, slot])).toEqual([
      [1, 7],
      [1, 4_000_000_000],
      [2, 8],
      [0, 9],
    ]);
    expect(frames[0]?.payload.toString('utf8')).toBe(register);
    expect(frames[1]?.payload.toString('utf8')).toBe(accented);
    expect(frames[2]?.payload).toEqual(binary);
    expect(frames[3]?.payload.length).toBe(0);
  });

  it('reads the same frames whatever the chunks a pipe cuts them into', () => {
    const writer = new FrameWriter();
    const sent = Array.from({ length: 50 }, (_, i) => `${accented} #${i}`.repeat((i % 5) + 1));
    sent.forEach((text, i) => writer.push(1, i, text));
    const stream = writer.take();
    for (const size of [1, 2, 3, 9, 10, 64, 1000, stream.length]) {
      const { frames, reader } = collect();
      for (let offset = 0; offset < stream.length; offset += size)
        reader.feed(stream.subarray(offset, offset + size));
      expect(frames.map((frame) => frame.payload.toString('utf8'))).toEqual(sent);
      expect(frames.map((frame) => frame.slot)).toEqual(sent.map((_, i) => i));
    }
  });
});
