import { Invitation, Inviter, SessionState } from 'sip.js/lib/api/index.js';
import type { Bye, Info, Session } from 'sip.js/lib/api/index.js';
import type { MonitorMode } from '../../../contracts/monitor';
import { formatMonitorMark, MONITOR_HEADER, parseMonitorMark } from '../../../contracts/monitor-header';
import { asSentence } from '../../lib/sentence';
import type { CallMedia } from './session-media';
import { mediaOf, webHandlerOf } from './session-media';
import { endSession } from './end-session';
import { restartSessionIce } from './ice-restart';
import { MonitorState } from './phone-state';
import { modeChangeRefusalSentence, monitorRefusalSentence } from './refusal-sentence';

/** `monitoring`: this phone (an operator's) monitors someone. `monitored`: someone monitors a call here. */
export type MonitorSide = 'monitoring' | 'monitored';

/** One monitor session as the rest of the app sees it: plain data, no sip.js. */
export type MonitorInfo = {
  readonly id: string;
  readonly side: MonitorSide;
  readonly state: MonitorState;
  /** The mode in force (monitoring: the one asked for until the session is answered). */
  readonly mode: MonitorMode;
  /** Monitoring: a mode change sent and not answered yet. */
  readonly pendingMode: MonitorMode | null;
  /** Monitoring: the agent asked for. Monitored: who monitors (the edge's `by`). */
  readonly peer: string;
  /** Monitored: the id of this phone's call that is monitored. */
  readonly callId: string | null;
  readonly answeredAt: number | null;
  /** Monitoring: the last mode change that was refused, as a sentence. */
  readonly notice: string | null;
  /** Why the session ended, as a sentence (set once Ended). */
  readonly endReason: string | null;
  /** Ended without ever being answered: refused or failed. */
  readonly refused: boolean;
};

export type MonitorSessionHooks = {
  changed(monitor: MonitorSession): void;
  media(monitor: MonitorSession, media: CallMedia): void;
  now(): number;
};

const audioOnly = { constraints: { audio: true, video: false } };

/** The monitor mark header line for a request. */
export function monitorHeader(mode: MonitorMode, call?: string): string {
  return `${MONITOR_HEADER}: ${formatMonitorMark({ mode, call: call ?? null })}`;
}

/** `Reason: SIP ;cause=200 ;text="The call ended"` → "The call ended." (null without a text). */
export function reasonText(header: string | undefined): string | null {
  const match = header ? /text\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header) : null;
  const text = match?.[1]?.replace(/\\(.)/g, '$1').trim();
  return text ? asSentence(text) : null;
}

/**
 * Wraps the sip.js Session of one monitor session, on either side: the operator's INVITE with the
 * monitor mark and its mode changes (INFO), or the agent's silent answer and the mode changes it
 * is told about. Never a call: it is kept apart from the phone's calls and reported on its own.
 */
export class MonitorSession {
  readonly id: string;
  readonly side: MonitorSide;
  readonly session: Session;
  readonly callId: string | null;
  private readonly peer: string;
  private readonly hooks: MonitorSessionHooks;
  private state = MonitorState.Starting;
  private mode: MonitorMode;
  private pendingMode: MonitorMode | null = null;
  /** Asked for while another change was under way; sent once that one is answered. */
  private queuedMode: MonitorMode | null = null;
  private answeredAt: number | null = null;
  private notice: string | null = null;
  private endReason: string | null = null;
  private refusal: string | null = null;
  private stopReason: string | null = null;

  constructor(options: {
    id: string;
    side: MonitorSide;
    session: Session;
    mode: MonitorMode;
    peer: string;
    callId: string | null;
    hooks: MonitorSessionHooks;
  }) {
    this.id = options.id;
    this.side = options.side;
    this.session = options.session;
    this.mode = options.mode;
    this.peer = options.peer;
    this.callId = options.callId;
    this.hooks = options.hooks;
    this.session.stateChange.addListener((state) => this.onSessionState(state));
    this.session.delegate = {
      ...this.session.delegate,
      onInfo: (info) => this.onInfo(info),
      onBye: (bye) => this.onBye(bye),
    };
  }

  info(): MonitorInfo {
    return {
      id: this.id,
      side: this.side,
      state: this.state,
      mode: this.mode,
      pendingMode: this.pendingMode,
      peer: this.peer,
      callId: this.callId,
      answeredAt: this.answeredAt,
      notice: this.notice,
      endReason: this.endReason,
      refused: this.state === MonitorState.Ended && this.answeredAt === null && this.stopReason === null,
    };
  }

  get ended(): boolean {
    return this.state === MonitorState.Ended;
  }

  /** Monitoring: sends the marked INVITE; answer, refusal or failure show up as state changes. */
  async dial(): Promise<void> {
    if (!(this.session instanceof Inviter)) throw new Error('Only the monitoring side dials.');
    try {
      await this.session.invite({
        requestDelegate: {
          onReject: (response) => {
            this.refusal = monitorRefusalSentence(
              response.message.statusCode ?? 0,
              response.message.reasonPhrase ?? '',
              this.peer,
            );
          },
        },
      });
    } catch (error) {
      this.refusal =
        'Monitoring could not be started: ' + (error instanceof Error ? error.message : String(error));
      this.set(MonitorState.Ended);
    }
  }

  /** Monitored: answers at once (no ringing). */
  async answer(): Promise<void> {
    if (!(this.session instanceof Invitation) || this.session.state !== SessionState.Initial) return;
    try {
      await this.session.accept({ sessionDescriptionHandlerOptions: audioOnly });
    } catch {
      // The session ends (Terminated) and says so.
    }
  }

  /** Monitoring: asks the edge for another mode (INFO); the answer shows up as a change. */
  async changeMode(mode: MonitorMode): Promise<void> {
    if (this.side !== 'monitoring' || this.state !== MonitorState.Active) return;
    if (this.pendingMode !== null) {
      this.queuedMode = mode;
      return;
    }
    if (mode === this.mode) {
      // Nothing to ask; said again so whoever showed a pending change sees it settled.
      this.hooks.changed(this);
      return;
    }
    this.pendingMode = mode;
    this.notice = null;
    this.applyTracks();
    this.hooks.changed(this);
    const refusal = await new Promise<string | null>((resolve) => {
      this.session
        .info({
          requestOptions: { extraHeaders: [monitorHeader(mode)] },
          requestDelegate: {
            onAccept: () => resolve(null),
            onReject: (response) =>
              resolve(
                modeChangeRefusalSentence(
                  response.message.statusCode ?? 0,
                  response.message.reasonPhrase ?? '',
                  mode,
                ),
              ),
          },
        })
        .catch((error: unknown) => resolve(error instanceof Error ? error.message : String(error)));
    });
    if (this.ended) return;
    if (refusal === null) this.mode = mode;
    else this.notice = refusal;
    this.pendingMode = null;
    this.applyTracks();
    this.hooks.changed(this);
    const queued = this.queuedMode;
    this.queuedMode = null;
    if (queued !== null && queued !== this.mode) await this.changeMode(queued);
  }

  /** Ends the session: CANCEL while starting, BYE once answered, a refusal before answering. */
  async stop(reason: string): Promise<void> {
    if (this.ended) return;
    this.stopReason ??= reason;
    try {
      await endSession(this.session, 487);
    } catch {
      // Already going away (the other side's BYE crossed ours).
    }
  }

  /** New ICE credentials and candidates after the phone reconnected (see `restartSessionIce`). */
  async restartIce(): Promise<void> {
    if (this.state !== MonitorState.Active) return;
    await restartSessionIce({
      session: this.session,
      sentInvite: this.side === 'monitoring',
      held: () => false,
      ended: () => this.ended,
    });
  }

  private set(state: MonitorState): void {
    if (this.state === MonitorState.Ended) return;
    this.state = state;
    this.hooks.changed(this);
  }

  /**
   * The operator's microphone goes out only in whisper and barge (and not while a change to listen
   * is pending); the agent's side always sends (its mix is what the operator hears).
   */
  private applyTracks(): void {
    const sdh = webHandlerOf(this.session);
    if (!sdh?.peerConnection) return;
    const sending = this.side === 'monitored' || (this.mode !== 'listen' && this.pendingMode !== 'listen');
    sdh.enableSenderTracks(sending);
  }

  private onSessionState(state: SessionState): void {
    switch (state) {
      case SessionState.Established: {
        if (this.answeredAt !== null) return;
        this.answeredAt = this.hooks.now();
        const media = mediaOf(this.session);
        if (media) this.hooks.media(this, media);
        this.applyTracks();
        this.set(MonitorState.Active);
        return;
      }
      case SessionState.Terminated:
        // sip.js reports a refusal (onReject) just after this state change: wait for it.
        queueMicrotask(() => this.finish());
        return;
      default:
        return;
    }
  }

  private finish(): void {
    if (this.stopReason !== null) this.endReason = this.stopReason;
    else if (this.answeredAt === null) this.endReason = this.refusal ?? 'Monitoring could not be started.';
    else
      this.endReason ??= this.side === 'monitoring' ? 'The call you monitored ended.' : 'Monitoring ended.';
    this.set(MonitorState.Ended);
  }

  private onBye(bye: Bye): void {
    this.endReason = reasonText(bye.request.getHeader('reason')) ?? null;
    void bye.accept();
  }

  private onInfo(info: Info): void {
    const mark = this.side === 'monitored' ? parseMonitorMark(info.request.getHeader(MONITOR_HEADER)) : null;
    if (!mark) {
      void info.reject({ statusCode: 400, reasonPhrase: 'No monitor mode given' });
      return;
    }
    void info.accept();
    if (mark.mode === this.mode) return;
    this.mode = mark.mode;
    this.hooks.changed(this);
  }
}
