// Test support: just enough of an AudioContext to record which node feeds which, so mixing logic
// can be checked in jsdom (which has no WebAudio). Nodes connect and disconnect like real ones.

type FakeTrack = { kind: 'audio'; enabled: boolean; stopped: boolean; stop(): void };

export class FakeAudioNode {
  readonly outputs = new Set<FakeAudioNode>();

  constructor(readonly kind: string) {}

  connect<T extends FakeAudioNode>(target: T): T {
    this.outputs.add(target);
    return target;
  }

  disconnect(target?: FakeAudioNode): void {
    if (!target) {
      this.outputs.clear();
      return;
    }
    if (!this.outputs.delete(target))
      throw new DOMException('Not connected to that node.', 'InvalidAccessError');
  }
}

/** An AudioParam that keeps what was scheduled on it (setValueAtTime), to be read back by time. */
export class FakeAudioParam {
  readonly scheduled: { value: number; time: number }[] = [];

  constructor(public value: number) {}

  setValueAtTime(value: number, time: number): this {
    this.scheduled.push({ value, time });
    return this;
  }

  /** The value at `time`: the last one scheduled at or before it, else the value set directly. */
  valueAt(time: number): number {
    const due = this.scheduled.filter((event) => event.time <= time).sort((a, b) => a.time - b.time);
    return due.at(-1)?.value ?? this.value;
  }
}

export class FakeGainNode extends FakeAudioNode {
  readonly gain = new FakeAudioParam(1);
}

export class FakeMediaStreamSource extends FakeAudioNode {
  constructor(readonly mediaStream: MediaStream) {
    super('source');
  }
}

export class FakeMediaStreamDestination extends FakeAudioNode {
  readonly track: FakeTrack = {
    kind: 'audio',
    enabled: true,
    stopped: false,
    stop() {
      this.stopped = true;
    },
  };
  readonly stream = {
    getTracks: () => [this.track],
    getAudioTracks: () => [this.track],
  } as unknown as MediaStream;
}

export class FakeAudioContext {
  readonly nodes: FakeAudioNode[] = [];
  state = 'running';
  currentTime = 0;

  private add<T extends FakeAudioNode>(node: T): T {
    this.nodes.push(node);
    return node;
  }

  createGain(): GainNode {
    return this.add(new FakeGainNode('gain')) as unknown as GainNode;
  }

  createMediaStreamSource(stream: MediaStream): MediaStreamAudioSourceNode {
    return this.add(new FakeMediaStreamSource(stream)) as unknown as MediaStreamAudioSourceNode;
  }

  createMediaStreamDestination(): MediaStreamAudioDestinationNode {
    return this.add(
      new FakeMediaStreamDestination('destination'),
    ) as unknown as MediaStreamAudioDestinationNode;
  }

  createChannelMerger(): ChannelMergerNode {
    return this.add(new FakeAudioNode('merger')) as unknown as ChannelMergerNode;
  }

  createOscillator(): OscillatorNode {
    const node = Object.assign(new FakeAudioNode('oscillator'), {
      frequency: { value: 440 },
      start: () => undefined,
      stop: () => undefined,
    });
    return this.add(node) as unknown as OscillatorNode;
  }

  createAnalyser(): AnalyserNode {
    const node = Object.assign(new FakeAudioNode('analyser'), {
      fftSize: 2048,
      getFloatTimeDomainData: () => undefined,
    });
    return this.add(node) as unknown as AnalyserNode;
  }

  /** The source node made for `stream`. */
  sourceOf(stream: MediaStream): FakeAudioNode | undefined {
    return this.nodes.find((node) => node instanceof FakeMediaStreamSource && node.mediaStream === stream);
  }

  asContext(): AudioContext {
    return this as unknown as AudioContext;
  }
}

/** Whether sound from `from` reaches `to`: along connections, not through a gain at zero. */
export function reaches(from: unknown, to: unknown): boolean {
  const seen = new Set<FakeAudioNode>();
  const walk = (node: FakeAudioNode): boolean => {
    if (node === to) return true;
    if (seen.has(node)) return false;
    seen.add(node);
    if (node instanceof FakeGainNode && node.gain.value === 0) return false;
    return [...node.outputs].some(walk);
  };
  return from instanceof FakeAudioNode && walk(from);
}
