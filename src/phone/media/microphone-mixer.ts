import type { LocalMediaSource, MediaOwner } from '../sip/phone-user-agent-options';

/** Where the sound a call sends comes from: a microphone, or a steady tone (tests, benchmarks). */
export type InputSource = { kind: 'microphone' } | { kind: 'tone'; hz: number };

/** How long the microphone stays open after the last call ended. */
const MICROPHONE_LINGER_MS = 3_000;

type OpenInput = { node: AudioNode; stop(): void };
type SendPath = {
  gain: GainNode;
  destination: MediaStreamAudioDestinationNode;
  /** Other sound mixed into what this session sends (a monitor session's voices). */
  extras: Set<AudioNode>;
};

async function openInput(
  context: AudioContext,
  source: InputSource,
  deviceId: string | null,
): Promise<OpenInput> {
  if (source.kind === 'tone') {
    const oscillator = context.createOscillator();
    oscillator.frequency.value = source.hz;
    const level = context.createGain();
    level.gain.value = 0.3;
    oscillator.connect(level);
    oscillator.start();
    return {
      node: level,
      stop: () => {
        oscillator.stop();
        oscillator.disconnect();
        level.disconnect();
      },
    };
  }
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: deviceId ? { deviceId: { exact: deviceId } } : true,
    video: false,
  });
  const node = context.createMediaStreamSource(stream);
  return {
    node,
    stop: () => {
      node.disconnect();
      for (const track of stream.getTracks()) track.stop();
    },
  };
}

function audioSender(owner: MediaOwner): RTCRtpSender | undefined {
  return owner.peerConnection?.getSenders().find((sender) => sender.track?.kind === 'audio');
}

/**
 * The microphone as sip.js sessions get it: one input (opened while any call needs it), and per
 * session its own GainNode into its own MediaStreamAudioDestinationNode, so no track is ever shared
 * between sessions (sip.js stops a track it replaces). Also feeds the level meter.
 */
export class MicrophoneMixer implements LocalMediaSource {
  private readonly context: () => AudioContext;
  private readonly source: InputSource;
  private deviceId: string | null = null;
  private input: Promise<OpenInput> | null = null;
  private analyser: AnalyserNode | null = null;
  private readonly paths = new Map<MediaOwner, SendPath>();
  private readonly samples = new Float32Array(1024);
  private closeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: { context: () => AudioContext; source?: InputSource; deviceId?: string | null }) {
    this.context = options.context;
    this.source = options.source ?? { kind: 'microphone' };
    this.deviceId = options.deviceId ?? null;
  }

  private openShared(): Promise<OpenInput> {
    if (!this.input) {
      const context = this.context();
      const opening = openInput(context, this.source, this.deviceId).then((input) => {
        this.attachAnalyser(context, input);
        return input;
      });
      opening.catch(() => {
        if (this.input === opening) this.input = null;
      });
      this.input = opening;
    }
    return this.input;
  }

  private attachAnalyser(context: AudioContext, input: OpenInput): void {
    this.analyser?.disconnect();
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    input.node.connect(analyser);
    this.analyser = analyser;
  }

  async acquire(owner: MediaOwner): Promise<MediaStream> {
    if (this.closeTimer !== undefined) clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    const input = await this.openShared();
    const path = this.makePath(input);
    this.paths.set(owner, path);
    return path.destination.stream;
  }

  private makePath(input: OpenInput): SendPath {
    const context = this.context();
    const gain = context.createGain();
    const destination = context.createMediaStreamDestination();
    input.node.connect(gain);
    gain.connect(destination);
    return { gain, destination, extras: new Set() };
  }

  /**
   * Mixes `node` into what the session on `peerConnection` sends, besides the microphone (kept
   * across microphone changes). Returns how to take it out again; null when that session sends
   * nothing from here.
   */
  addToSend(peerConnection: RTCPeerConnection, node: AudioNode): (() => void) | null {
    const owner = [...this.paths.keys()].find((candidate) => candidate.peerConnection === peerConnection);
    const path = owner ? this.paths.get(owner) : undefined;
    if (!owner || !path) return null;
    path.extras.add(node);
    node.connect(path.destination);
    return () => {
      const current = this.paths.get(owner);
      if (!current?.extras.delete(node)) return;
      disconnectQuietly(node, current.destination);
    };
  }

  release(owner: MediaOwner): void {
    const path = this.paths.get(owner);
    if (!path) return;
    this.paths.delete(owner);
    closePath(path);
    // Kept open a moment: the next call (a call-back, a transfer) starts without opening it again.
    if (this.paths.size === 0) {
      if (this.closeTimer !== undefined) clearTimeout(this.closeTimer);
      this.closeTimer = setTimeout(() => {
        this.closeTimer = undefined;
        if (this.paths.size === 0) void this.closeInput();
      }, MICROPHONE_LINGER_MS);
    }
  }

  private async closeInput(): Promise<void> {
    const input = this.input;
    this.input = null;
    this.analyser?.disconnect();
    this.analyser = null;
    if (input) (await input.catch(() => null))?.stop();
  }

  /**
   * Switches to another microphone mid-call: a new sending track per session, swapped in with
   * RTCRtpSender.replaceTrack (no renegotiation). Resolves once every session sends the new one.
   */
  async switchMicrophone(deviceId: string | null): Promise<void> {
    this.deviceId = deviceId;
    if (!this.input) return;
    const previous = this.input;
    const context = this.context();
    const next = openInput(context, this.source, deviceId);
    const input = await next;
    this.input = Promise.resolve(input);
    this.attachAnalyser(context, input);
    for (const [owner, path] of this.paths) {
      const replacement = this.makePath(input);
      replacement.extras = path.extras;
      for (const node of path.extras) node.connect(replacement.destination);
      const track = replacement.destination.stream.getAudioTracks()[0];
      const sender = audioSender(owner);
      if (sender && track) await sender.replaceTrack(track);
      this.paths.set(owner, replacement);
      closePath(path);
    }
    (await previous.catch(() => null))?.stop();
  }

  /** The microphone's loudness now, 0 (silence) to 1 (full scale), or 0 when it is closed. */
  level(): number {
    const analyser = this.analyser;
    if (!analyser) return 0;
    const samples = this.samples.subarray(0, analyser.fftSize);
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    const rms = Math.sqrt(sum / samples.length);
    // -60 dBFS and below shows as nothing, 0 dBFS as full.
    const db = 20 * Math.log10(Math.max(rms, 1e-6));
    return Math.min(1, Math.max(0, (db + 60) / 60));
  }

  dispose(): void {
    if (this.closeTimer !== undefined) clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    for (const path of this.paths.values()) closePath(path);
    this.paths.clear();
    void this.closeInput();
  }
}

function disconnectQuietly(node: AudioNode, from: AudioNode): void {
  try {
    node.disconnect(from);
  } catch {
    // Not connected there (any more).
  }
}

function closePath(path: SendPath): void {
  for (const node of path.extras) disconnectQuietly(node, path.destination);
  path.gain.disconnect();
  for (const track of path.destination.stream.getTracks()) track.stop();
  path.destination.disconnect();
}
