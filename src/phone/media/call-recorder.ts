/**
 * 48 kbps keeps the two sides apart whatever they say. libopus codes stereo below 44 kbps in its
 * SILK (speech) mode when its analysis takes the signal for speech, with the sides predicted from
 * each other: the other party came through 8 dB under the agent. From about 42 kbps it always
 * codes the channels apart (CELT), ≥ 60 dB. Costs ≈ 375 KB a minute with sound on both sides.
 */
export const RECORDING_BITS_PER_SECOND = 48_000;
/** One chunk a second: a closed tab loses at most about that, plus its upload. */
export const RECORDING_TIMESLICE_MS = 1_000;
export const RECORDING_MIME = 'audio/webm;codecs=opus';
/** The recording notice: a short tone this often in what the other party hears. */
export const NOTICE_INTERVAL_MS = 15_000;
const NOTICE_TONE_MS = 300;
const NOTICE_HZ = 1_400;

export type CallRecorderOptions = {
  context: AudioContext;
  /** The track the call sends (the processed microphone the other party hears). */
  sent: MediaStreamTrack;
  /** What the call receives; it must also be playing in an <audio> element, or it records silence. */
  received: MediaStream;
  /** Mixes a node into what the call sends (the notice tone); returns how to take it out. */
  addToSend: ((node: AudioNode) => (() => void) | null) | null;
  onChunk(seq: number, data: Blob): void;
};

/**
 * Records one call as the agent's phone has it: left the sent track, right the received audio,
 * mixed in WebAudio (ChannelMerger) and recorded by MediaRecorder as WebM/Opus in 1 s chunks.
 * A pause (payment details) sets both inputs' gain to 0: the span stays in the timeline as
 * silence, where MediaRecorder.pause() would cut it out without a trace.
 */
export class CallRecorder {
  readonly #options: CallRecorderOptions;
  readonly #left: GainNode;
  readonly #right: GainNode;
  readonly #nodes: AudioNode[] = [];
  readonly #recorder: MediaRecorder;
  readonly #startedAt: number;
  #seq = 0;
  #notice: { timer: ReturnType<typeof setInterval>; remove: (() => void) | null } | null = null;
  #stopped: Promise<void> | null = null;

  constructor(options: CallRecorderOptions) {
    this.#options = options;
    const { context } = options;
    const sent = context.createMediaStreamSource(new MediaStream([options.sent]));
    const received = context.createMediaStreamSource(options.received);
    this.#left = context.createGain();
    this.#right = context.createGain();
    const merger = context.createChannelMerger(2);
    const destination = context.createMediaStreamDestination();
    destination.channelCount = 2;
    sent.connect(this.#left).connect(merger, 0, 0);
    received.connect(this.#right).connect(merger, 0, 1);
    merger.connect(destination);
    this.#nodes.push(sent, received, this.#left, this.#right, merger, destination);
    this.#recorder = new MediaRecorder(destination.stream, {
      mimeType: RECORDING_MIME,
      audioBitsPerSecond: RECORDING_BITS_PER_SECOND,
    });
    this.#recorder.ondataavailable = (event) => {
      if (event.data.size > 0) options.onChunk(this.#seq++, event.data);
    };
    this.#recorder.start(RECORDING_TIMESLICE_MS);
    this.#startedAt = performance.now();
  }

  /** Milliseconds since the recording started, as marks name them. */
  get offsetMs(): number {
    return Math.round(performance.now() - this.#startedAt);
  }

  setPaused(paused: boolean): void {
    const level = paused ? 0 : 1;
    const now = this.#options.context.currentTime;
    this.#left.gain.setValueAtTime(level, now);
    this.#right.gain.setValueAtTime(level, now);
  }

  /** A short tone every 15 s to the other party while recording (the profile's notice). */
  playNotice(): void {
    const { context, addToSend } = this.#options;
    if (this.#notice || !addToSend) return;
    const oscillator = context.createOscillator();
    oscillator.frequency.value = NOTICE_HZ;
    const level = context.createGain();
    level.gain.value = 0;
    oscillator.connect(level);
    oscillator.start();
    const beep = () => {
      const now = context.currentTime;
      level.gain.setValueAtTime(0.2, now);
      level.gain.setValueAtTime(0, now + NOTICE_TONE_MS / 1000);
    };
    const remove = addToSend(level);
    beep();
    this.#notice = { timer: setInterval(beep, NOTICE_INTERVAL_MS), remove };
    this.#nodes.push(oscillator, level);
  }

  /** Stops and hands out the last chunk; resolves once it has been handed out. */
  stop(): Promise<void> {
    this.#stopped ??= new Promise<void>((resolve) => {
      if (this.#notice) {
        clearInterval(this.#notice.timer);
        this.#notice.remove?.();
      }
      const done = () => {
        for (const node of this.#nodes) node.disconnect();
        resolve();
      };
      if (this.#recorder.state === 'inactive') return done();
      this.#recorder.addEventListener('stop', done, { once: true });
      this.#recorder.stop();
    });
    return this.#stopped;
  }
}
