import type { SessionDescriptionHandlerFactory, UserAgentOptions } from 'sip.js/lib/api/index.js';
import type { SipCredentials } from '../../../contracts/sip';
import type { DtmfModeSource } from './call-info';
import type { PhoneUserAgentDelegate } from './phone-user-agent-delegate';
import type { Backoff } from './reconnect-backoff';

/** What owns a sending path: sip.js's session description handler (its peer connection). */
export type MediaOwner = { readonly peerConnection: RTCPeerConnection | undefined };

/** Gives every session its own microphone stream and takes it back when the session ends. */
export interface LocalMediaSource {
  acquire(owner: MediaOwner): Promise<MediaStream>;
  release(owner: MediaOwner): void;
}

/** How the phone is built: where it connects, how it gets credentials, and what tests swap in. */
export type PhoneUserAgentOptions = {
  /** Where the app is served, e.g. `http://localhost:8080`; the WebSocket goes to its `wsPath`. */
  origin: string;
  /** Fresh short-lived SIP credentials for the signed-in session. */
  fetchCredentials: () => Promise<SipCredentials>;
  delegate?: PhoneUserAgentDelegate;
  localMedia?: LocalMediaSource;
  /** RFC 4733 (in the RTP stream) by default, SIP INFO for PBXes that want it. */
  dtmfMode?: DtmfModeSource;
  backoff?: Backoff;
  /** How many tries in a row one edge gets before the phone moves to the next (see EdgeRotation). */
  triesPerEdge?: number;
  /** REGISTER expiry in seconds. */
  registerExpires?: number;
  /** How often the registered phone pings its SIP connection (see NetworkLossWatch). */
  pingIntervalMs?: number;
  /** How long a ping may wait for its pong (see pingAnswered). */
  pongTimeoutMs?: number;
  /** Tests: a fake transport and session description handlers. */
  transportConstructor?: UserAgentOptions['transportConstructor'];
  sessionDescriptionHandlerFactory?: SessionDescriptionHandlerFactory;
  now?: () => number;
  random?: () => number;
};
