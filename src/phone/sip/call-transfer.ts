import type { Notification, Session } from 'sip.js/lib/api/index.js';
import type { URI } from 'sip.js/lib/grammar/uri.js';
import { refusalSentence } from './refusal-sentence';

/**
 * Sends REFER on `session` toward `referTo` (a URI: blind; another session or a Replaces URI:
 * attended) and waits for the answer: null when accepted, else the refusal as a sentence that
 * names `targetLabel`.
 */
export function refer(session: Session, referTo: Session | URI, targetLabel: string): Promise<string | null> {
  return new Promise<string | null>((resolve) => {
    session
      .refer(referTo, {
        requestDelegate: {
          onAccept: () => resolve(null),
          onReject: (response) =>
            resolve(
              refusalSentence(
                response.message.statusCode ?? 0,
                response.message.reasonPhrase ?? '',
                targetLabel,
              ),
            ),
        },
        onNotify: (notification: Notification) => {
          void notification.accept();
        },
      })
      .catch((error: unknown) => resolve(error instanceof Error ? error.message : String(error)));
  });
}

/**
 * Where an attended transfer sends the other party to replace `session`'s call: its peer by
 * address (`agent1@domain`, which the edge routes), not the dialog's remote target that sip.js
 * would use, a WebSocket Contact on `.invalid` that only the connection it came on reaches.
 * Replaces names this dialog as sip.js writes it (and matches it on the receiving phone).
 */
export function replacingUri(session: Session): URI | null {
  const dialog = session.dialog;
  if (!dialog) return null;
  const uri = session.remoteIdentity.uri.clone();
  uri.setHeader(
    'Replaces',
    encodeURIComponent(`${dialog.callId};to-tag=${dialog.remoteTag};from-tag=${dialog.localTag}`),
  );
  // sip.js writes a URI's Refer-To bare; one with headers must be in angle brackets (RFC 3261
  // 20.10), or the receiving sip.js cannot parse it.
  const referTo = `<${uri.toString()}>`;
  uri.toString = () => referTo;
  return uri;
}
