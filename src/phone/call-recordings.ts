import type { RecordingMode } from '../../contracts/recordings';
import { CallRecorder } from './media/call-recorder';
import { ChunkUploader, finishRecording, markRecording, startRecording } from './recording-upload';
import type { CallMedia } from './sip/session-media';

/** A call's recording as the screen shows it. */
export type RecordingView = {
  status: 'starting' | 'recording' | 'paused';
  /** On an `always` profile the recording runs until the call ends. */
  canStop: boolean;
  /** Chunks have not reached the server for a while. */
  behind: boolean;
};

export const RECORDING_BEHIND =
  'Recording is not reaching the server; it will catch up when the connection is back.';

type Running = {
  id: string | null;
  recorder: CallRecorder | null;
  uploader: ChunkUploader | null;
  view: RecordingView;
  ending: boolean;
};

export type CallRecordingsOptions = {
  mode: RecordingMode;
  notice: boolean;
  context: () => AudioContext;
  addToSend: (peerConnection: RTCPeerConnection, node: AudioNode) => (() => void) | null;
  changed(callId: string, view: RecordingView | null): void;
  tell(sentence: string): void;
};

/**
 * The recordings this phone makes of its own calls: started on answer (`always`) or by the
 * Record button (`on_demand`), uploaded chunk by chunk, paused for payment details, finished
 * when the call ends (the server finishes it by itself if this tab is gone).
 */
export class CallRecordings {
  readonly #running = new Map<string, Running>();

  constructor(private readonly options: CallRecordingsOptions) {}

  get mode(): RecordingMode {
    return this.options.mode;
  }

  /** The call was answered and has media: an `always` profile starts recording now. */
  answered(callId: string, sipCallId: string | null, media: CallMedia): void {
    if (this.options.mode === 'always') void this.start(callId, sipCallId, media);
  }

  async start(callId: string, sipCallId: string | null, media: CallMedia): Promise<void> {
    if (this.#running.has(callId) || this.options.mode === 'off' || !sipCallId) return;
    const sent = media.peerConnection.getSenders().find((sender) => sender.track?.kind === 'audio')?.track;
    if (!sent) return this.options.tell('This call sends no audio yet, so it cannot be recorded.');
    const running: Running = {
      id: null,
      recorder: null,
      uploader: null,
      view: { status: 'starting', canStop: this.options.mode === 'on_demand', behind: false },
      ending: false,
    };
    this.#running.set(callId, running);
    this.#show(callId, running);
    try {
      const recording = await startRecording(sipCallId);
      if (running.ending) {
        await finishRecording(recording.id).catch(() => undefined);
        return;
      }
      running.id = recording.id;
      const uploader = new ChunkUploader(recording.id, (behind) => {
        running.view = { ...running.view, behind };
        this.#show(callId, running);
        if (behind) this.options.tell(RECORDING_BEHIND);
      });
      running.uploader = uploader;
      running.recorder = new CallRecorder({
        context: this.options.context(),
        sent,
        received: media.remoteStream,
        addToSend: (node) => this.options.addToSend(media.peerConnection, node),
        onChunk: (seq, data) => uploader.add(seq, data),
      });
      if (this.options.notice) running.recorder.playNotice();
      running.view = { ...running.view, status: 'recording' };
      this.#show(callId, running);
    } catch (error) {
      this.#running.delete(callId);
      this.options.changed(callId, null);
      this.options.tell(error instanceof Error ? error.message : 'The recording could not start.');
    }
  }

  async setPaused(callId: string, paused: boolean): Promise<void> {
    const running = this.#running.get(callId);
    if (!running?.recorder || !running.id) return;
    if ((running.view.status === 'paused') === paused) return;
    running.recorder.setPaused(paused);
    running.view = { ...running.view, status: paused ? 'paused' : 'recording' };
    this.#show(callId, running);
    try {
      await markRecording(running.id, {
        kind: paused ? 'pause' : 'resume',
        offsetMs: running.recorder.offsetMs,
      });
    } catch (error) {
      this.options.tell(error instanceof Error ? error.message : 'The pause could not be noted.');
    }
  }

  /** The Record button again (on_demand), or the call's end. */
  async stop(callId: string): Promise<void> {
    const running = this.#running.get(callId);
    if (!running || running.ending) return;
    running.ending = true;
    this.#running.delete(callId);
    this.options.changed(callId, null);
    await running.recorder?.stop();
    await running.uploader?.flushed();
    if (running.id)
      await finishRecording(running.id).catch((error: unknown) => {
        this.options.tell(error instanceof Error ? error.message : 'The recording could not be finished.');
      });
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#running.keys()].map((callId) => this.stop(callId)));
  }

  #show(callId: string, running: Running): void {
    this.options.changed(callId, running.view);
  }
}
