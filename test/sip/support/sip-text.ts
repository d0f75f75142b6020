import type { SipMessage } from '../../../server/sip/message/sip-message';

/** The URI inside a name-addr header (`"A" <sip:a@b>;tag=x` → `sip:a@b`); '' when there is none. */
export const uriOf = (header: string | undefined): string => /<([^>]+)>/.exec(header ?? '')?.[1] ?? '';

/** The user part of a SIP URI (`sip:+4930123@host` → `+4930123`). */
export const userOf = (uri: string): string => /^sips?:([^@;]+)@/.exec(uri)?.[1] ?? '';

/** A message's body as text (SDP, sipfrag, dtmf-relay). */
export const bodyOf = (message: SipMessage): string => String(message.body);

/** The `a=mid` of an SDP offer, which a WebRTC answer must repeat. */
export const midOf = (sdp: string): string => /a=mid:(\S+)/.exec(sdp)?.[1] ?? '0';

/** The audio port an SDP names (its first m=audio line). */
export const portOf = (sdp: string): number => Number(/^m=audio (\d+)/m.exec(sdp)?.[1]);

/** Any INVITE request. */
export const isInvite = (m: SipMessage): boolean => m.kind === 'request' && m.method === 'INVITE';

/** A request of `method`. */
export const isRequest =
  (method: string) =>
  (m: SipMessage): boolean =>
    m.kind === 'request' && m.method === method;

/** A request of `method` in the dialog (or transaction) of `callId`. */
export const inCall =
  (method: string, callId: string) =>
  (m: SipMessage): boolean =>
    m.kind === 'request' && m.method === method && m.headers.get('call-id') === callId;

/** A response `status` in the dialog of `callId` (a provisional one too). */
export const statusIn =
  (status: number, callId: string) =>
  (m: SipMessage): boolean =>
    m.kind === 'response' && m.status === status && m.headers.get('call-id') === callId;
