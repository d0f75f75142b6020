import type { Session } from 'sip.js/lib/api/index.js';

/** What a re-INVITE meets: the other side's final status, or no sending at all. */
export type ReinviteAnswer = number | 'not sent';

type RequestDelegate = {
  onAccept(response: unknown): void;
  onReject(response: { message: { statusCode: number } }): void;
};

/**
 * A stand-in for an answered sip.js Session's re-INVITEs: each one meets the next of `answers`
 * (200 once they run out). `sent` keeps the description handler options each offer was made with.
 */
export function reinviteSession(answers: ReinviteAnswer[], sessionDescriptionHandler?: unknown) {
  const sent: unknown[] = [];
  const fake = {
    sessionDescriptionHandler,
    dialog: undefined,
    sessionDescriptionHandlerOptionsReInvite: {} as unknown,
    invite(options: { requestDelegate: RequestDelegate }) {
      sent.push(fake.sessionDescriptionHandlerOptionsReInvite);
      const answer = answers.shift() ?? 200;
      if (answer === 'not sent') return Promise.reject(new Error('There is an ongoing re-INVITE.'));
      if (answer < 300) options.requestDelegate.onAccept({});
      else options.requestDelegate.onReject({ message: { statusCode: answer } });
      return Promise.resolve({});
    },
  };
  return { fake, session: fake as unknown as Session, sent };
}
