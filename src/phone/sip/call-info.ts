import type { CallState } from './phone-state';

export type CallDirection = 'outgoing' | 'incoming';
export type DtmfMode = 'rfc4733' | 'info';
/** A fixed mode, or the person's current choice, asked at each key press. */
export type DtmfModeSource = DtmfMode | (() => DtmfMode);

/** One call as the rest of the app sees it: plain data, no sip.js. */
export type CallInfo = {
  readonly id: string;
  readonly direction: CallDirection;
  readonly state: CallState;
  readonly peerName: string | null;
  /** Extension or username of the other side. */
  readonly peerNumber: string;
  readonly held: boolean;
  readonly muted: boolean;
  readonly startedAt: number;
  readonly answeredAt: number | null;
  /** Why the call ended or failed, as a sentence; null when it simply ended. */
  readonly endReason: string | null;
  /** A transfer of this call is under way. */
  readonly transferring: boolean;
  /** On the transfer target's side: the call this one replaced (attended transfer). */
  readonly replacesCallId: string | null;
  /** The SIP Call-ID (what a recording names its call by); absent in fakes. */
  readonly sipCallId?: string | null;
  /** The last sentence the edge told about this call while it goes on (credit running out). */
  readonly notice?: string | null;
};
