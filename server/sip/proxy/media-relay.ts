import { randomUUID } from 'node:crypto';
import type { MediaBridge, MediaSide } from '../../media/media-bridge';
import type { SipConnection } from '../transport/transport';

/** rtpengine's tag for each party of a relayed call (one rtpengine call per relayed call). */
const TAG = { caller: 'caller', callee: 'callee' } as const;
type Party = keyof typeof TAG;

/** What media a phone speaks: a browser (WebSocket) WebRTC, a desk phone (UDP, TCP) plain RTP. */
export function mediaSideOf(connection: SipConnection): MediaSide {
  return connection.transport === 'ws' || connection.transport === 'wss' ? 'browser' : 'trunk';
}

/**
 * The media of a proxied call between a browser and a desk phone, passed through rtpengine: each
 * SDP is rewritten on its way (ICE, DTLS-SRTP and Opus toward the browser, plain RTP and G.711
 * toward the desk phone) while the call stays proxied (its Call-ID, tags and routes unchanged),
 * as a SIP proxy drives rtpengine. Two phones of one kind need none.
 */
export class MediaRelay {
  readonly mediaId = `relay-${randomUUID()}`;
  #deleted = false;

  constructor(
    readonly media: MediaBridge,
    /** What the caller speaks; the callee speaks the other. */
    readonly callerSide: MediaSide,
  ) {}

  get calleeSide(): MediaSide {
    return this.callerSide === 'browser' ? 'trunk' : 'browser';
  }

  sideOf(party: Party): MediaSide {
    return party === 'caller' ? this.callerSide : this.calleeSide;
  }

  /** An offer from `from`, as the other party must see it. */
  offer(from: Party, sdp: string): Promise<string> {
    const to: Party = from === 'caller' ? 'callee' : 'caller';
    return this.media.offer({ callId: this.mediaId, fromTag: TAG[from], sdp, toward: this.sideOf(to) });
  }

  /** The answer to an offer `offerer` made, as the offerer must see it. */
  answer(offerer: Party, sdp: string): Promise<string> {
    const answerer: Party = offerer === 'caller' ? 'callee' : 'caller';
    return this.media.answer({
      callId: this.mediaId,
      fromTag: TAG[offerer],
      toTag: TAG[answerer],
      sdp,
      toward: this.sideOf(offerer),
    });
  }

  /** Ends the relayed media (once). */
  delete(): Promise<void> {
    if (this.#deleted) return Promise.resolve();
    this.#deleted = true;
    return this.media.delete(this.mediaId);
  }
}

/** Whether the edge can relay media now (rtpengine installed or configured). */
export function canRelay(media: MediaBridge | undefined): media is MediaBridge {
  if (!media) return false;
  media.start();
  return media.status().state !== 'off';
}
