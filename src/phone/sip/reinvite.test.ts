import { describe, expect, it } from 'vitest';
import type { Session } from 'sip.js/lib/api/index.js';
import { sendReinvite } from './reinvite';

type Answer = { status: number } | 'not sent';

/** A session without media whose re-INVITE gets `answer`; keeps the options each offer was made with. */
function sessionAnswering(answer: Answer) {
  const offers: unknown[] = [];
  const session = {
    sessionDescriptionHandler: undefined,
    dialog: undefined,
    sessionDescriptionHandlerOptionsReInvite: {} as unknown,
    invite(options: {
      requestDelegate: {
        onAccept(response: unknown): void;
        onReject(response: { message: { statusCode: number } }): void;
      };
    }) {
      offers.push(session.sessionDescriptionHandlerOptionsReInvite);
      if (answer === 'not sent') return Promise.reject(new Error('There is an ongoing re-INVITE.'));
      if (answer.status < 300) options.requestDelegate.onAccept({});
      else options.requestDelegate.onReject({ message: { statusCode: answer.status } });
      return Promise.resolve({});
    },
  };
  return { session, asSession: session as unknown as Session, offers };
}

describe('a re-INVITE', () => {
  it('offers what it is asked for, and once accepted the call answers in its new hold state', async () => {
    const { session, asSession, offers } = sessionAnswering({ status: 200 });
    expect(await sendReinvite(asSession, { hold: true }, false)).toBe(true);
    expect(offers).toEqual([{ hold: true }]);
    expect(session.sessionDescriptionHandlerOptionsReInvite).toEqual({ hold: true });
  });

  it('asks for new ICE credentials for a restart, and keeps the hold state', async () => {
    const { session, asSession, offers } = sessionAnswering({ status: 200 });
    expect(await sendReinvite(asSession, { hold: true, iceRestart: true }, true)).toBe(true);
    expect(offers).toEqual([{ hold: true, offerOptions: { iceRestart: true } }]);
    expect(session.sessionDescriptionHandlerOptionsReInvite).toEqual({ hold: true });
  });

  it('refused, gives the status and leaves the hold state as it was', async () => {
    const { session, asSession } = sessionAnswering({ status: 491 });
    expect(await sendReinvite(asSession, { hold: true }, false)).toBe(491);
    expect(session.sessionDescriptionHandlerOptionsReInvite).toEqual({ hold: false });
  });

  it('not sent, gives 0 and leaves the hold state as it was', async () => {
    const { session, asSession } = sessionAnswering('not sent');
    expect(await sendReinvite(asSession, { hold: false }, true)).toBe(0);
    expect(session.sessionDescriptionHandlerOptionsReInvite).toEqual({ hold: true });
  });
});
