import { describe, expect, it } from 'vitest';
import { reinviteSession } from './testing/fake-reinvite-session';
import { sendReinvite } from './reinvite';

describe('a re-INVITE', () => {
  it('offers what it is asked for, and once accepted the call answers in its new hold state', async () => {
    const { fake, session, sent } = reinviteSession([200]);
    expect(await sendReinvite(session, { hold: true }, false)).toBe(true);
    expect(sent).toEqual([{ hold: true }]);
    expect(fake.sessionDescriptionHandlerOptionsReInvite).toEqual({ hold: true });
  });

  it('asks for new ICE credentials for a restart, and keeps the hold state', async () => {
    const { fake, session, sent } = reinviteSession([200]);
    expect(await sendReinvite(session, { hold: true, iceRestart: true }, true)).toBe(true);
    expect(sent).toEqual([{ hold: true, offerOptions: { iceRestart: true } }]);
    expect(fake.sessionDescriptionHandlerOptionsReInvite).toEqual({ hold: true });
  });

  it('refused, gives the status and leaves the hold state as it was', async () => {
    const { fake, session } = reinviteSession([491]);
    expect(await sendReinvite(session, { hold: true }, false)).toBe(491);
    expect(fake.sessionDescriptionHandlerOptionsReInvite).toEqual({ hold: false });
  });

  it('not sent, gives 0 and leaves the hold state as it was', async () => {
    const { fake, session } = reinviteSession(['not sent']);
    expect(await sendReinvite(session, { hold: false }, true)).toBe(0);
    expect(fake.sessionDescriptionHandlerOptionsReInvite).toEqual({ hold: true });
  });
});
