import type { Session } from 'sip.js/lib/api/index.js';
import { REQUEST_PENDING, TEMPORARILY_UNAVAILABLE, untilStable } from './reinvite-glare';
import { SETTLE_MS, sendReinvite } from './reinvite';
import { iceUfrag, webHandlerOf } from './session-media';

/** Outcomes after which an ICE restart is tried again (see `restartSessionIce`). */
const RESTART_AGAIN_AFTER: ReadonlySet<number> = new Set([REQUEST_PENDING, TEMPORARILY_UNAVAILABLE, 0]);
/** How often an ICE restart is tried. */
const RESTART_ATTEMPTS = 3;

/** One side of an answered session (a call, or a monitor session) that restarts ICE. */
export type RestartingSide = {
  session: Session;
  /** This side sent the session's first INVITE (it owns the dialog's Call-ID). */
  sentInvite: boolean;
  held(): boolean;
  ended(): boolean;
};

/** How long a side waits before trying again after its re-INVITE crossed the other's (RFC 3261 §14.1). */
export function backOffMs(sentInvite: boolean, random = Math.random()): number {
  return sentInvite ? 2_100 + random * 1_900 : random * 2_000;
}

/**
 * New ICE credentials and candidates, e.g. after the WebSocket came back on another network.
 * When both phones restart at once (both moved to another edge) their re-INVITEs cross and each
 * is answered 491 Request Pending; as RFC 3261 §14.1 says, the side that sent the first INVITE
 * tries again after 2.1–4 s and the other after up to 2 s, so one of them gets through. A side
 * whose edge says the other is still reconnecting (480), or that could not send its re-INVITE
 * because the other side's was in progress (0), tries again the same way. Once the other side's
 * restart got through (its ICE credentials changed), both sides have gathered anew and this one
 * stops. True when this side's or the other side's restart got through.
 */
export async function restartSessionIce(side: RestartingSide): Promise<boolean> {
  const peerConnection = () => webHandlerOf(side.session)?.peerConnection;
  const remoteUfrag = iceUfrag(peerConnection()?.remoteDescription);
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await sendReinvite(side.session, { hold: side.held(), iceRestart: true }, side.held());
    if (outcome === true) return true;
    if (!RESTART_AGAIN_AFTER.has(outcome) || attempt === RESTART_ATTEMPTS || side.ended()) return false;
    await new Promise((resolve) => setTimeout(resolve, backOffMs(side.sentInvite)));
    if (side.ended()) return false;
    const current = peerConnection();
    if (current && (await untilStable(current, SETTLE_MS))) {
      if (iceUfrag(current.remoteDescription) !== remoteUfrag) return true;
    }
  }
}
