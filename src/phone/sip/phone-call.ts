import { Invitation, Inviter, SessionState } from 'sip.js/lib/api/index.js';
import type { Info, Session } from 'sip.js/lib/api/index.js';
import type { URI } from 'sip.js/lib/grammar/uri.js';
import { EDGE_NOTICE_HEADER } from '../../../contracts/credit';
import { NO_MEDIA_REASON } from '../../../contracts/sip';
import { noMediaSentence, watchMediaPath } from './media-path-watch';
import { assertedName } from './asserted-identity';
import { CallState } from './phone-state';
import { dtmfRelayBody, parseDtmfRelay } from './dtmf-relay';
import type { DtmfTone } from './dtmf-relay';
import { sendQueuedTone, type TonesSender } from './queued-tones';
import { reasonText } from './monitor-session';
import { refer, replacingUri } from './call-transfer';
import { refusalSentence } from './refusal-sentence';
import { mediaOf, webHandlerOf } from './session-media';
import { endSession } from './end-session';
import { restartSessionIce } from './ice-restart';
import { sendReinvite } from './reinvite';
import type { ReinviteOptions } from './reinvite';
import type { CallMedia } from './session-media';
import type { CallDirection, CallInfo, DtmfModeSource } from './call-info';

export type PhoneCallHooks = {
  changed(call: PhoneCall): void;
  media(call: PhoneCall, media: CallMedia): void;
  dtmfReceived(call: PhoneCall, tone: string): void;
  now(): number;
};

type Peer = { name: string | null; number: string };

/** Wraps one sip.js Session: hold, mute, DTMF, transfer, ICE restart; reports every change. */
export class PhoneCall {
  readonly id: string;
  readonly session: Session;
  readonly direction: CallDirection;
  private state: CallState;
  private peer: Peer;
  private held = false;
  private muted = false;
  private readonly startedAt: number;
  private answeredAt: number | null = null;
  private endReason: string | null = null;
  private notice: string | null = null;
  private transferring = false;
  private localHangUp = false;
  private referredTo: string | null = null;
  /** The call never got an audio path (ICE failed): said once, on both sides. */
  private noMedia = false;
  private stopMediaWatch: (() => void) | null = null;
  replacesCallId: string | null = null;
  private readonly hooks: PhoneCallHooks;
  private readonly dtmfMode: DtmfModeSource;

  constructor(options: {
    id: string;
    session: Session;
    direction: CallDirection;
    peer: Peer;
    hooks: PhoneCallHooks;
    dtmfMode: DtmfModeSource;
  }) {
    this.id = options.id;
    this.session = options.session;
    this.direction = options.direction;
    this.peer = options.peer;
    this.hooks = options.hooks;
    this.dtmfMode = options.dtmfMode;
    this.startedAt = options.hooks.now();
    this.state = options.direction === 'incoming' ? CallState.Incoming : CallState.Dialing;
    this.session.stateChange.addListener((state) => this.onSessionState(state));
    this.session.delegate = {
      ...this.session.delegate,
      onInfo: (info) => this.onInfo(info),
      onBye: (bye) => {
        if (/no-media/i.test(bye.request.getHeader('reason') ?? '')) {
          this.noMedia = true;
          this.endReason = noMediaSentence(this.peerLabel());
        }
        // The edge ending the call itself (credit ran out, the server stopping) says why.
        const reason = bye.request.getHeader('reason');
        const cause = /cause\s*=\s*(\d+)/i.exec(reason ?? '')?.[1];
        if (!this.endReason && cause !== undefined && Number(cause) >= 400)
          this.endReason = reasonText(reason);
        if (!this.endReason) this.endReason = `${this.peerLabel()} hung up.`;
        void bye.accept();
      },
    };
  }

  info(): CallInfo {
    return {
      id: this.id,
      direction: this.direction,
      state: this.state,
      peerName: this.peer.name,
      peerNumber: this.peer.number,
      held: this.held,
      muted: this.muted,
      startedAt: this.startedAt,
      answeredAt: this.answeredAt,
      endReason: this.endReason,
      notice: this.notice,
      transferring: this.transferring,
      replacesCallId: this.replacesCallId,
      sipCallId: this.sipCallId,
    };
  }

  get ended(): boolean {
    return this.state === CallState.Ended;
  }

  get established(): boolean {
    return this.state === CallState.Established;
  }

  get isHeld(): boolean {
    return this.held;
  }

  /** The SIP Call-ID of this call's dialog (what the edge's monitor mark names). */
  get sipCallId(): string | null {
    const session = this.session;
    if (session instanceof Inviter || session instanceof Invitation) return session.request.callId;
    return null;
  }

  private peerLabel(): string {
    return this.peer.name ?? this.peer.number;
  }

  private set(state: CallState): void {
    if (this.state === CallState.Ended) return;
    this.state = state;
    this.hooks.changed(this);
  }

  /** Sends the INVITE of an outgoing call; progress and refusals show up as state changes. */
  async dial(): Promise<void> {
    if (!(this.session instanceof Inviter)) throw new Error('Only an outgoing call can be dialled.');
    try {
      await this.session.invite({
        requestDelegate: {
          onProgress: (response) => {
            this.learnPeerName(response.message);
            const status = response.message.statusCode;
            if (status === 180 || status === 183) this.set(CallState.Ringing);
          },
          onAccept: (response) => this.learnPeerName(response.message),
          onReject: (response) => {
            this.endReason = refusalSentence(
              response.message.statusCode ?? 0,
              response.message.reasonPhrase ?? '',
              this.peer.number,
            );
          },
        },
      });
    } catch (error) {
      this.endReason =
        'The call could not be started: ' + (error instanceof Error ? error.message : String(error));
      this.set(CallState.Ended);
    }
  }

  /** The edge says whom the call reached (e.g. the party a transfer put this phone through to). */
  private learnPeerName(message: { getHeader(name: string): string | undefined }): void {
    const name = assertedName(message);
    if (name === null || name === this.peer.name) return;
    this.peer = { ...this.peer, name };
    this.hooks.changed(this);
  }

  async answer(): Promise<void> {
    if (!(this.session instanceof Invitation) || this.session.state !== SessionState.Initial) return;
    this.set(CallState.Connecting);
    await this.session.accept();
  }

  /** Declines an incoming call (603), cancels an outgoing one, or hangs up an answered one. */
  async hangUp(): Promise<void> {
    this.localHangUp = true;
    await endSession(this.session, 603);
  }

  /** Puts the call on hold or takes it off with a re-INVITE; true when the other side agreed. */
  async setHeld(held: boolean): Promise<boolean> {
    if (!this.established || this.held === held) return this.held === held;
    const accepted = (await this.reinvite({ hold: held })) === true;
    if (accepted) {
      this.held = held;
      this.applyTracks();
      this.hooks.changed(this);
    }
    return accepted;
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.applyTracks();
    this.hooks.changed(this);
  }

  /** Renewed relay credentials: the next ICE restart of this call gathers with them. */
  useIceServers(configuration: RTCConfiguration): void {
    const peerConnection = webHandlerOf(this.session)?.peerConnection;
    if (!peerConnection || peerConnection.signalingState === 'closed') return;
    try {
      peerConnection.setConfiguration({ ...peerConnection.getConfiguration(), ...configuration });
    } catch {
      // A browser that refuses the change keeps the credentials it gathered with.
    }
  }

  /** New ICE credentials and candidates, e.g. after the WebSocket came back (see `restartSessionIce`). */
  restartIce(): Promise<boolean> {
    return restartSessionIce({
      session: this.session,
      sentInvite: this.direction === 'outgoing',
      held: () => this.held,
      ended: () => this.ended,
    });
  }

  async sendDtmf(tone: DtmfTone): Promise<boolean> {
    if (!this.established) return false;
    const mode = typeof this.dtmfMode === 'function' ? this.dtmfMode() : this.dtmfMode;
    if (mode === 'info') {
      await this.session.info({
        requestOptions: {
          body: {
            contentDisposition: 'render',
            contentType: 'application/dtmf-relay',
            content: dtmfRelayBody(tone),
          },
        },
      });
      return true;
    }
    const handler = this.session.sessionDescriptionHandler as TonesSender | undefined;
    return handler ? sendQueuedTone(handler, tone) : false;
  }

  /** Blind transfer (REFER) to `target`, or attended (REFER with Replaces) to another call. */
  async transfer(target: PhoneCall | URI): Promise<string | null> {
    if (!this.established) return 'Only a connected call can be transferred.';
    this.transferring = true;
    this.hooks.changed(this);
    const outcome =
      target instanceof PhoneCall
        ? await refer(this.session, replacingUri(target.session) ?? target.session, target.peerLabel())
        : await refer(this.session, target, target.user ?? 'The transfer target');
    if (outcome !== null) {
      this.transferring = false;
      this.hooks.changed(this);
      return outcome;
    }
    // The other side took over; this leg is done.
    this.localHangUp = true;
    if (this.session.state === SessionState.Established) await this.session.bye();
    return null;
  }

  private reinvite(options: ReinviteOptions): Promise<true | number> {
    return sendReinvite(this.session, options, this.held);
  }

  private applyTracks(): void {
    const sdh = webHandlerOf(this.session);
    if (!sdh?.peerConnection) return;
    sdh.enableSenderTracks(!this.held && !this.muted);
    sdh.enableReceiverTracks(!this.held);
  }

  /** The other side transferred this phone to `target`: the new call follows, this one ends. */
  noteReferredTo(target: string): void {
    this.referredTo = target;
  }

  /** The microphone track was swapped (device change): keep mute and hold on the new one. */
  reapplyTracks(): void {
    this.applyTracks();
  }

  private onSessionState(state: SessionState): void {
    switch (state) {
      case SessionState.Establishing:
        if (this.direction === 'incoming') this.set(CallState.Connecting);
        return;
      case SessionState.Established: {
        this.answeredAt = this.hooks.now();
        const media = mediaOf(this.session);
        if (media) this.hooks.media(this, media);
        if (media && !this.stopMediaWatch)
          this.stopMediaWatch = watchMediaPath(media.peerConnection, () => void this.endForNoMedia());
        this.applyTracks();
        this.set(CallState.Established);
        return;
      }
      case SessionState.Terminated:
        // sip.js reports the refusal (onReject) just after this state change: wait for it.
        queueMicrotask(() => this.finish());
        return;
      default:
        return;
    }
  }

  /** ICE found no path: say so, and end the call with a BYE whose Reason the edge records. */
  private async endForNoMedia(): Promise<void> {
    if (this.ended || this.session.state !== SessionState.Established) return;
    this.noMedia = true;
    this.endReason = noMediaSentence(this.peerLabel());
    try {
      await this.session.bye({ requestOptions: { extraHeaders: [`Reason: ${NO_MEDIA_REASON}`] } });
    } catch {
      // The session ends here either way.
    }
  }

  private finish(): void {
    this.stopMediaWatch?.();
    if (this.noMedia) {
      this.set(CallState.Ended);
      return;
    }
    if (this.transferring) this.endReason = 'The call was transferred.';
    else if (this.referredTo) this.endReason = `${this.peerLabel()} transferred you to ${this.referredTo}.`;
    else if (this.localHangUp) this.endReason = null;
    else if (!this.endReason && this.direction === 'incoming' && this.answeredAt === null)
      this.endReason = `Missed call from ${this.peerLabel()}.`;
    this.set(CallState.Ended);
  }

  private onInfo(info: Info): void {
    const contentType = info.request.getHeader('content-type') ?? '';
    if (info.request.getHeader(EDGE_NOTICE_HEADER) !== undefined && /^text\/plain/i.test(contentType)) {
      void info.accept();
      this.notice = info.request.body.trim().slice(0, 300) || null;
      this.hooks.changed(this);
      return;
    }
    const tone = /^application\/dtmf-relay/i.test(contentType) ? parseDtmfRelay(info.request.body) : null;
    if (tone === null) {
      void info.reject({ statusCode: 415 });
      return;
    }
    void info.accept();
    this.hooks.dtmfReceived(this, tone);
  }
}
