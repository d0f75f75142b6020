import { Invitation, Inviter, SessionState } from 'sip.js/lib/api/index.js';
import type { Session } from 'sip.js/lib/api/index.js';

/**
 * Ends a session whatever its state: CANCEL while an outgoing one is starting, `refusal` (a
 * status code) for an incoming one not yet answered, BYE once answered; nothing once it ended.
 */
export async function endSession(session: Session, refusal: number): Promise<void> {
  switch (session.state) {
    case SessionState.Initial:
    case SessionState.Establishing:
      if (session instanceof Inviter) await session.cancel();
      else if (session instanceof Invitation) await session.reject({ statusCode: refusal });
      return;
    case SessionState.Established:
      await session.bye();
      return;
    default:
      return;
  }
}
