import { UserAgent, type Invitation } from 'sip.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Disposition } from '../../contracts/calls';
import { listCalls } from '../../server/store/calls-repository';
import { findProfileByName, updateProfile } from '../../server/store/profiles-repository';
import { startEdgeServer, type EdgeTestServer } from './edge-test-server';
import type { FixedSdpHandler } from './sipjs-phone';
import { hangUp, SessionState, sessionState, TestPhone } from './sipjs-phone';

let server: EdgeTestServer;
let phones: TestPhone[] = [];

beforeAll(async () => {
  server = await startEdgeServer({ sipNoAnswerMs: 2000 });
});
afterEach(async () => {
  for (const phone of phones) await phone.stop();
  phones = [];
  // Every call is over before the next test counts channels.
  const started = Date.now();
  while (server.edge.dialogs().length > 0 && Date.now() - started < 3000)
    await new Promise((r) => setTimeout(r, 20));
});
afterAll(async () => {
  await server.stop();
});

async function phone(user: string): Promise<TestPhone> {
  const p = await TestPhone.online({
    wsUrl: server.wsUrl,
    domain: server.config.sipDomain,
    user,
    password: server.passwords.get(user) ?? '',
  });
  phones.push(p);
  return p;
}

async function recordOf(callId: string): Promise<{
  disposition: Disposition | null;
  reason: string | null;
  answeredAt: Date | null;
  endedAt: Date | null;
}> {
  await server.edge.recordsIdle();
  const { items } = await listCalls(server.db, {}, { offset: 0, limit: 100 });
  const record = items.find((r) => r.callId === callId);
  if (!record) throw new Error(`no call record for ${callId}`);
  return record;
}

const callIdOf = (invitation: { request: { callId: string } }) => invitation.request.callId;

async function withProfile(
  name: string,
  change: Parameters<typeof updateProfile>[2],
  run: () => Promise<void>,
): Promise<void> {
  const profile = await findProfileByName(server.db, name);
  if (!profile) throw new Error(name);
  const { capacity, channelLimit, flags } = profile;
  await updateProfile(server.db, profile.id, change);
  server.deps.events.publish({ entity: 'profile', id: profile.id });
  try {
    await run();
  } finally {
    await updateProfile(server.db, profile.id, { capacity, channelLimit, flags });
    server.deps.events.publish({ entity: 'profile', id: profile.id });
  }
}

describe('calls between sip.js phones through the edge', () => {
  it('call, ring, answer, ACK, BYE from the caller (200) — and the record says answered', async () => {
    const alice = await phone('agent1');
    const bob = await phone('agent2');
    const { inviter, final } = alice.call('1002');
    const invitation = await bob.nextInvitation();
    expect(invitation.request.getHeader('Record-Route')).toContain(server.config.sipDomain);
    invitation.progress();
    await sessionState(inviter, SessionState.Establishing);
    const agents = await findProfileByName(server.db, 'agents');
    expect(server.edge.live.channelsInUse(agents?.id ?? 0)).toBe(1);
    await invitation.accept();
    expect((await final).status).toBe(200);
    await sessionState(inviter, SessionState.Established);
    await sessionState(invitation, SessionState.Established);
    expect(server.edge.dialogs()[0]?.state).toBe('answered');
    expect(await hangUp(inviter)).toBe(200);
    await sessionState(invitation, SessionState.Terminated);
    const record = await recordOf(callIdOf(inviter));
    expect(record.disposition).toBe('answered');
    expect(record.answeredAt).not.toBeNull();
    expect(record.endedAt).not.toBeNull();
    expect(server.edge.live.channelsInUse(agents?.id ?? 0)).toBe(0);
  });

  it('BYE from the callee gets 200 too', async () => {
    const alice = await phone('agent1');
    const bob = await phone('agent2');
    const { inviter, final } = alice.call('agent2');
    const invitation = await bob.nextInvitation();
    await invitation.accept();
    expect((await final).status).toBe(200);
    await sessionState(invitation, SessionState.Established);
    expect(await hangUp(invitation)).toBe(200);
    await sessionState(inviter, SessionState.Terminated);
  });

  it('CANCEL while ringing: 487 to the caller, the callee’s invitation ends, record missed', async () => {
    const alice = await phone('agent1');
    const bob = await phone('agent2');
    const { inviter, final } = alice.call('1002');
    const invitation = await bob.nextInvitation();
    invitation.progress();
    await sessionState(inviter, SessionState.Establishing);
    await new Promise((r) => setTimeout(r, 50));
    await inviter.cancel();
    expect((await final).status).toBe(487);
    await sessionState(invitation, SessionState.Terminated);
    const record = await recordOf(callIdOf(inviter));
    expect(record.disposition).toBe('missed');
  });

  it('busy: the callee’s 486 reaches the caller, record busy', async () => {
    const alice = await phone('agent1');
    const bob = await phone('agent2');
    const { inviter, final } = alice.call('1002');
    const invitation = await bob.nextInvitation();
    await invitation.reject({ statusCode: 486 });
    expect((await final).status).toBe(486);
    expect((await recordOf(callIdOf(inviter))).disposition).toBe('busy');
  });

  it('unknown callee: 404 with a readable reason; callee offline: 480', async () => {
    const alice = await phone('agent1');
    const unknown = alice.call('9999');
    expect(await unknown.final).toEqual({ status: 404, reason: 'Nobody has the number or name 9999' });
    expect((await recordOf(callIdOf(unknown.inviter))).disposition).toBe('failed');
    const offline = alice.call('1003');
    expect(await offline.final).toEqual({ status: 480, reason: 'Agent Three is not signed in' });
    expect((await recordOf(callIdOf(offline.inviter))).disposition).toBe('missed');
  });

  it('no answer: 408 after SIP_NO_ANSWER_SECONDS, the callee gets CANCEL', async () => {
    const alice = await phone('agent1');
    const bob = await phone('agent2');
    const { inviter, final } = alice.call('1002');
    const invitation = await bob.nextInvitation();
    invitation.progress();
    const result = await final;
    expect(result.status).toBe(408);
    await sessionState(invitation, SessionState.Terminated);
    expect((await recordOf(callIdOf(inviter))).reason).toBe('No answer');
  });

  it('refuses a profile without the call flag: 403 "Your profile does not allow outgoing calls"', async () => {
    await withProfile('agents', { flags: ['transfer'] }, async () => {
      const alice = await phone('agent1');
      await phone('agent2');
      const { inviter, final } = alice.call('1002');
      expect(await final).toEqual({ status: 403, reason: 'Your profile does not allow outgoing calls' });
      const record = await recordOf(callIdOf(inviter));
      expect(record).toMatchObject({
        disposition: 'refused',
        reason: 'Your profile does not allow outgoing calls',
      });
    });
  });

  it('refuses a call over the channel limit of the caller’s or the callee’s profile', async () => {
    await withProfile('agents', { channelLimit: 1 }, async () => {
      const alice = await phone('agent1');
      const bob = await phone('agent2');
      const first = alice.call('1002');
      const invitation = await bob.nextInvitation();
      await invitation.accept();
      expect((await first.final).status).toBe(200);
      const carol = await phone('agent3');
      const second = carol.call('1001');
      expect(await second.final).toEqual({
        status: 403,
        reason: 'All 1 channels of profile agents are in use',
      });
      const sam = await phone('supervisor');
      const third = sam.call('agent3');
      expect(await third.final).toEqual({
        status: 403,
        reason: 'All 1 channels of profile agents are in use',
      });
      expect(await hangUp(first.inviter)).toBe(200);
      // The channel is free again.
      const fourth = carol.call('1001');
      const again = await alice.nextInvitation();
      await again.reject({ statusCode: 603 });
      expect((await fourth.final).status).toBe(603);
      expect((await recordOf(callIdOf(fourth.inviter))).disposition).toBe('rejected');
    });
  });

  it('forks to every device of the callee; the others get CANCEL when one answers', async () => {
    const alice = await phone('agent1');
    const bobDesk = await phone('agent2');
    const bobLaptop = await phone('agent2');
    const { inviter, final } = alice.call('1002');
    const [desk, laptop] = await Promise.all([bobDesk.nextInvitation(), bobLaptop.nextInvitation()]);
    desk.progress();
    laptop.progress();
    await sessionState(inviter, SessionState.Establishing);
    await new Promise((r) => setTimeout(r, 50));
    await laptop.accept();
    expect((await final).status).toBe(200);
    await sessionState(desk, SessionState.Terminated);
    await sessionState(inviter, SessionState.Established);
    expect(await hangUp(inviter)).toBe(200);
    await sessionState(laptop, SessionState.Terminated);
  });

  it('re-INVITE (hold), INFO (DTMF) and REFER inside the call', async () => {
    const alice = await phone('agent1');
    const bob = await phone('agent2');
    const { inviter, final } = alice.call('1002');
    const invitation: Invitation = await bob.nextInvitation();
    const infos: string[] = [];
    const refers: string[] = [];
    invitation.delegate = {
      onInfo: (info) => {
        infos.push(info.request.body);
        void info.accept();
      },
      onRefer: (referral) => {
        refers.push(referral.referTo.uri.toString());
        void referral.accept();
      },
    };
    await invitation.accept();
    expect((await final).status).toBe(200);
    await sessionState(inviter, SessionState.Established);
    // sip.js answers a re-INVITE that overtakes the ACK of the first with 500 (RFC 3261 14.2).
    await sessionState(invitation, SessionState.Established);
    await new Promise((r) => setTimeout(r, 150));

    const hold = await new Promise<number>((resolve) => {
      inviter.sessionDescriptionHandlerOptionsReInvite = { hold: true } as object;
      void inviter.invite({
        requestDelegate: {
          onAccept: (r) => resolve(r.message.statusCode ?? 0),
          onReject: (r) => resolve(r.message.statusCode ?? 0),
        },
      });
    });
    expect(hold).toBe(200);
    const handler = invitation.sessionDescriptionHandler as FixedSdpHandler;
    expect(handler.received.at(-1)).toContain('a=sendonly');

    const info = await new Promise<number>((resolve) => {
      void inviter.info({
        requestOptions: {
          body: {
            contentDisposition: 'render',
            contentType: 'application/dtmf-relay',
            content: 'Signal=5\r\nDuration=160\r\n',
          },
        },
        requestDelegate: {
          onAccept: (r) => resolve(r.message.statusCode ?? 0),
          onReject: (r) => resolve(r.message.statusCode ?? 0),
        },
      });
    });
    expect(info).toBe(200);
    expect(infos[0]).toContain('Signal=5');

    const target = UserAgent.makeURI(`sip:agent3@${server.config.sipDomain}`);
    if (!target) throw new Error('uri');
    const refer = await new Promise<number>((resolve) => {
      void inviter.refer(target, {
        requestDelegate: {
          onAccept: (r) => resolve(r.message.statusCode ?? 0),
          onReject: (r) => resolve(r.message.statusCode ?? 0),
        },
      });
    });
    expect(refer).toBe(202);
    expect(refers[0]).toContain('agent3');

    expect(await hangUp(invitation)).toBe(200);
    await sessionState(inviter, SessionState.Terminated);
  });
});
