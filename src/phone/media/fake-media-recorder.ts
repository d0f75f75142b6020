// Test support: jsdom has no MediaRecorder (nor MediaStream). This one hands out a small Blob
// every `timeslice` ms and a last one on stop(), as Chromium's does, so the recording's upload
// and its screen can be tested on the fake audio graph. The Blob is Node's: jsdom's has no
// stream(), so the fetch tests run on would send it as the text "undefined".
import { Blob as NodeBlob } from 'node:buffer';

/** Every recorder made since the last `reset()`, newest last. */
const made: FakeMediaRecorder[] = [];

export class FakeMediaRecorder extends EventTarget {
  state: RecordingState = 'inactive';
  ondataavailable: ((event: BlobEvent) => void) | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #chunks = 0;

  constructor(
    readonly stream: MediaStream,
    readonly options: MediaRecorderOptions = {},
  ) {
    super();
    made.push(this);
  }

  static get made(): readonly FakeMediaRecorder[] {
    return made;
  }

  static reset(): void {
    made.length = 0;
  }

  start(timeslice = 1000): void {
    this.state = 'recording';
    this.#timer = setInterval(() => this.#hand(), timeslice);
  }

  stop(): void {
    if (this.state === 'inactive') return;
    if (this.#timer) clearInterval(this.#timer);
    this.state = 'inactive';
    this.#hand();
    this.dispatchEvent(new Event('stop'));
  }

  #hand(): void {
    const data = new NodeBlob([`opus chunk ${this.#chunks++}`], { type: 'audio/webm' }) as unknown as Blob;
    this.ondataavailable?.({ data } as BlobEvent);
  }
}

/** Just enough of MediaStream for the recorder to wrap a track. */
export class FakeMediaStream {
  readonly #tracks: MediaStreamTrack[];

  constructor(tracks: MediaStreamTrack[] = []) {
    this.#tracks = [...tracks];
  }

  getTracks(): MediaStreamTrack[] {
    return this.#tracks;
  }

  getAudioTracks(): MediaStreamTrack[] {
    return this.#tracks.filter((track) => track.kind === 'audio');
  }
}
