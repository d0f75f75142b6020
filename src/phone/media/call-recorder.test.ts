import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallRecorder, NOTICE_INTERVAL_MS } from './call-recorder';
import type { FakeAudioNode } from './fake-audio-graph';
import { FakeAudioContext, FakeGainNode, reaches } from './fake-audio-graph';
import { FakeMediaRecorder, FakeMediaStream } from './fake-media-recorder';

// The recorder on a fake audio graph (jsdom has no WebAudio): where the notice tone goes and
// when it sounds, and what a pause does to the two inputs.

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('MediaRecorder', FakeMediaRecorder);
  vi.stubGlobal('MediaStream', FakeMediaStream);
  FakeMediaRecorder.reset();
});
afterEach(() => {
  vi.useRealTimers();
});

function setUp() {
  const context = new FakeAudioContext();
  const sent = { kind: 'audio' } as MediaStreamTrack;
  const received = new FakeMediaStream() as unknown as MediaStream;
  /** What the call sends: the microphone mixer's path for this call. */
  const sendPath = context.createMediaStreamDestination();
  const chunks: number[] = [];
  const recorder = new CallRecorder({
    context: context.asContext(),
    sent,
    received,
    addToSend: (node) => {
      node.connect(sendPath);
      return () => node.disconnect(sendPath);
    },
    onChunk: (seq) => chunks.push(seq),
  });
  /** Lets `ms` pass on the page's clock and the audio clock together. */
  const pass = (ms: number) => {
    for (let step = 0; step < ms; step += 100) {
      context.currentTime += 0.1;
      vi.advanceTimersByTime(100);
    }
  };
  return { context, recorder, sendPath, chunks, received, pass };
}

/** The gain that carries the notice into the send path (null when nothing is mixed in). */
function noticeGain(context: FakeAudioContext, sendPath: unknown): FakeGainNode | null {
  const found = context.nodes.find(
    (node) => node instanceof FakeGainNode && node.outputs.has(sendPath as never),
  );
  return (found as FakeGainNode | undefined) ?? null;
}

describe('CallRecorder: the recording notice (profile recordingNotice)', () => {
  it('mixes a short 1.4 kHz tone into what the other party hears, every 15 s, and takes it out on stop', async () => {
    const { context, recorder, sendPath, pass } = setUp();
    expect(noticeGain(context, sendPath)).toBeNull();

    recorder.playNotice();
    const gain = noticeGain(context, sendPath);
    if (!gain) throw new Error('nothing was mixed into the send path');
    const oscillator = context.nodes.find((node) => node.kind === 'oscillator') as
      (FakeAudioNode & { frequency: { value: number } }) | undefined;
    expect(oscillator?.frequency.value).toBe(1_400);
    expect(oscillator?.outputs.has(gain)).toBe(true);
    // The tone goes to the other party only, not straight into the recording.
    expect([...gain.outputs]).toEqual([sendPath]);
    expect([...(oscillator?.outputs ?? [])]).toEqual([gain]);

    pass(3 * NOTICE_INTERVAL_MS + 1_000);
    const beeps = gain.gain.scheduled.filter((event) => event.value > 0).map((event) => event.time);
    expect(beeps.map((time) => Math.round(time))).toEqual([0, 15, 30, 45]);
    for (const start of beeps) {
      expect(gain.gain.valueAt(start + 0.1)).toBeGreaterThan(0);
      // Short: silent again 0.3 s after it began, and silent between the beeps.
      expect(gain.gain.valueAt(start + 0.35)).toBe(0);
      expect(gain.gain.valueAt(start + 7.5)).toBe(0);
    }

    await recorder.stop();
    expect(noticeGain(context, sendPath)).toBeNull();
    const scheduled = gain.gain.scheduled.length;
    pass(2 * NOTICE_INTERVAL_MS);
    expect(gain.gain.scheduled).toHaveLength(scheduled);
  });

  it('plays no notice unless asked: nothing reaches the send path', async () => {
    const { context, recorder, sendPath, pass } = setUp();
    pass(NOTICE_INTERVAL_MS + 1_000);
    expect(context.nodes.some((node) => node.kind === 'oscillator')).toBe(false);
    expect(noticeGain(context, sendPath)).toBeNull();
    await recorder.stop();
  });
});

describe('CallRecorder: pause', () => {
  it('silences both inputs at once and keeps recording, so the span stays in the timeline', async () => {
    const { context, recorder, chunks, received, pass } = setUp();
    const inputs = context.nodes.filter((node): node is FakeGainNode => node instanceof FakeGainNode);
    expect(inputs).toHaveLength(2);
    expect(reaches(context.sourceOf(received), recorderDestination(context))).toBe(true);

    pass(2_000);
    recorder.setPaused(true);
    for (const input of inputs) expect(input.gain.valueAt(context.currentTime)).toBe(0);
    pass(3_000);
    recorder.setPaused(false);
    for (const input of inputs) expect(input.gain.valueAt(context.currentTime)).toBe(1);
    pass(1_000);
    // One chunk a second all along, the paused seconds included.
    expect(chunks).toEqual([0, 1, 2, 3, 4, 5]);
    await recorder.stop();
    expect(chunks.at(-1)).toBe(6);
  });
});

/** The destination node whose stream the recorder records. */
function recorderDestination(context: FakeAudioContext) {
  const stream = FakeMediaRecorder.made.at(-1)?.stream;
  return context.nodes.find((node) => (node as unknown as { stream?: unknown }).stream === stream);
}
