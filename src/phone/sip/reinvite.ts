import type * as Web from 'sip.js/lib/platform/web/session-description-handler/index.js';
import type { Session } from 'sip.js/lib/api/index.js';
import { rollBackLocalOffer } from './offer-rollback';
import { refuseCrossingReinvites, untilStable } from './reinvite-glare';
import { webHandlerOf } from './session-media';

/** How long a re-INVITE waits for the other side's, in progress, to be answered first. */
export const SETTLE_MS = 5_000;

export type ReinviteOptions = {
  /** The hold state the offer asks for. */
  hold: boolean;
  /** New ICE credentials and candidates. */
  iceRestart?: boolean;
};

/**
 * Sends a re-INVITE on an answered call: true when accepted, else the refusal's status (0: it
 * could not be sent). It waits for the other side's re-INVITE in progress to be answered first
 * (RFC 3261 §14.1), answers the other side's that cross it with 491, and takes its offer back
 * when it could not be sent. Afterwards the other side's re-INVITEs are answered in the hold state
 * the call is left in: `options.hold` when accepted, `heldBefore` when not.
 */
export async function sendReinvite(
  session: Session,
  options: ReinviteOptions,
  heldBefore: boolean,
): Promise<true | number> {
  const peerConnection = webHandlerOf(session)?.peerConnection;
  if (peerConnection && !(await untilStable(peerConnection, SETTLE_MS))) return 0;
  const sdhOptions: Web.SessionDescriptionHandlerOptions = { hold: options.hold };
  if (options.iceRestart) sdhOptions.offerOptions = { iceRestart: true };
  session.sessionDescriptionHandlerOptionsReInvite = sdhOptions;
  const letReinvitesThrough = refuseCrossingReinvites(session);
  let outcome: true | number = 0;
  try {
    outcome = await new Promise<true | number>((resolve, reject) => {
      session
        .invite({
          requestDelegate: {
            onAccept: () => resolve(true),
            onReject: (response) => resolve(response.message.statusCode ?? 0),
          },
        })
        .catch(reject);
    });
    return outcome;
  } catch {
    // Not sent (the other side's re-INVITE came first): the offer made for it is taken back.
    await rollBackLocalOffer(peerConnection).catch(() => undefined);
    return 0;
  } finally {
    letReinvitesThrough();
    session.sessionDescriptionHandlerOptionsReInvite = {
      hold: outcome === true ? options.hold : heldBefore,
    } as Web.SessionDescriptionHandlerOptions;
  }
}
