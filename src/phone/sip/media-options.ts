import * as Web from 'sip.js/lib/platform/web/session-description-handler/index.js';
import type { SessionDescriptionHandlerFactory } from 'sip.js/lib/api/index.js';
import type { IceServer, SipCredentials } from '../../../contracts/sip';
import { finishIceGatheringEarly, gatheringAim } from './early-ice-completion';
import { CallDescriptionHandler } from './call-description-handler';
import type { LocalMediaSource } from './phone-user-agent-options';

/** sip.js's own default, for options that name none (the credentials always do). */
const DEFAULT_ICE_GATHERING_TIMEOUT_MS = 5_000;

/** The relay (if any) and whether only it may be used, as RTCPeerConnection takes them. */
export function peerConnectionConfiguration(credentials: SipCredentials): RTCConfiguration {
  return { iceServers: credentials.iceServers, iceTransportPolicy: credentials.iceTransportPolicy };
}

/** sip.js's options for new session description handlers, from the current credentials. */
export function mediaOptions(credentials: SipCredentials): Web.SessionDescriptionHandlerFactoryOptions {
  return {
    iceGatheringTimeout: credentials.iceGatheringTimeoutMs,
    peerConnectionConfiguration: peerConnectionConfiguration(credentials),
  };
}

/**
 * The phone's WebRTC session description handlers (see `CallDescriptionHandler`), each taking its
 * microphone stream from `localMedia` (the browser's default microphone without one), sending its
 * offer or answer once the candidates the configured ICE servers can give are in.
 */
export function webSessionDescriptionHandlerFactory(
  localMedia: LocalMediaSource | undefined,
  iceServers: () => IceServer[],
): SessionDescriptionHandlerFactory {
  const mediaStreamFactory: Web.MediaStreamFactory = localMedia
    ? (_constraints, sdh) => localMedia.acquire(sdh)
    : (constraints) => navigator.mediaDevices.getUserMedia(constraints);
  return (session, options?: Web.SessionDescriptionHandlerFactoryOptions) => {
    const handler = new CallDescriptionHandler(
      session.userAgent.getLogger('sip.SessionDescriptionHandler'),
      mediaStreamFactory,
      {
        iceGatheringTimeout: options?.iceGatheringTimeout ?? DEFAULT_ICE_GATHERING_TIMEOUT_MS,
        peerConnectionConfiguration: {
          ...Web.defaultPeerConnectionConfiguration(),
          ...options?.peerConnectionConfiguration,
        },
      },
    );
    finishIceGatheringEarly(handler, gatheringAim(iceServers()));
    return handler;
  };
}

/** Gives a session's microphone stream back once it ended (WebRTC sessions only). */
export function releaseSessionMedia(localMedia: LocalMediaSource | undefined, handler: unknown): void {
  if (handler instanceof Web.SessionDescriptionHandler) localMedia?.release(handler);
}
