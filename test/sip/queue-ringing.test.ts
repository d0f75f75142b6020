import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SipMessage, SipResponse } from '../../server/sip/message/sip-message';
import { rawDialogs } from './raw-dialogs';
import { newCallId, newTag, type RawSipClient } from './raw-sip-client';
import { startQueueServer, type QueueTestServer } from './queue-support';

/**
 * A caller waiting long in a queue gets the edge's 180 again and again (here every 250 ms
 * instead of the default 60 s), so a proxy's Timer C never runs out; it stops once the caller
 * has left.
 */
const REPEAT_MS = 250;
let server: QueueTestServer;
const clients: RawSipClient[] = [];

beforeAll(async () => {
  server = await startQueueServer({ sipRingingRepeatMs: REPEAT_MS });
});
afterAll(async () => {
  for (const c of clients.splice(0)) c.terminate();
  await server.stop();
});

const { domain, online } = rawDialogs(() => server, clients);
const sdp =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\nc=IN IP4 127.0.0.1\r\n';

describe('a caller waiting in a queue', () => {
  it('hears the same 180 again at each interval while nobody takes the call, and no more after CANCEL', async () => {
    const caller = await online('supervisor');
    const agent1 = server.userIds.get('agent1') ?? 0;
    // agent1 is a member but Not ready: the call waits.
    server.queues.add({ extension: '5090', agents: [{ userId: agent1, priority: 1 }], maxWaitSeconds: 60 });
    server.board.set(agent1, 'not_ready', { reason: 'Lunch' });
    const callId = newCallId();
    const from = `<sip:supervisor@${domain()}>;tag=${newTag()}`;
    const to = `<sip:5090@${domain()}>`;
    const branch = `z9hG4bK${newTag()}`;
    const ringings: { at: number; response: SipResponse }[] = [];
    const isRinging = (m: SipMessage) =>
      m.kind === 'response' && m.status === 180 && m.headers.get('call-id') === callId;
    const collect = async () => {
      for (;;) {
        const response = (await caller.next(isRinging, 2000).catch(() => null)) as SipResponse | null;
        if (!response) return;
        ringings.push({ at: Date.now(), response });
      }
    };
    const sentAt = Date.now();
    caller.send({
      method: 'INVITE',
      uri: `sip:5090@${domain()}`,
      from,
      to,
      callId,
      cseq: 1,
      branch,
      headers: [
        ['Contact', caller.contact],
        ['Content-Type', 'application/sdp'],
      ],
      body: sdp,
    });
    const collecting = collect();
    await new Promise((r) => setTimeout(r, REPEAT_MS * 4 + REPEAT_MS / 2));
    const whileWaiting = ringings.length;
    // The first at once, then one per interval: 5 in 4.5 intervals (late timers on a busy
    // machine may cost up to two).
    expect(whileWaiting).toBeGreaterThanOrEqual(3);
    expect(whileWaiting).toBeLessThanOrEqual(5);
    expect((ringings[0]?.at ?? Infinity) - sentAt).toBeLessThan(REPEAT_MS);
    const gaps = ringings.slice(1).map((r, i) => r.at - (ringings[i]?.at ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(REPEAT_MS - 50);
    // The same early dialog each time: one To tag, the same CSeq.
    expect(
      new Set(ringings.map((r) => /;tag=([^;>\s]+)/.exec(r.response.headers.get('to') ?? '')?.[1])).size,
    ).toBe(1);
    expect(new Set(ringings.map((r) => r.response.headers.get('cseq'))).size).toBe(1);

    caller.send({ method: 'CANCEL', uri: `sip:5090@${domain()}`, from, to, callId, cseq: 1, branch });
    expect((await caller.response(callId, 'CANCEL')).status).toBe(200);
    expect((await caller.response(callId, 'INVITE')).status).toBe(487);
    const afterCancel = ringings.length;
    await collecting;
    // Nothing for 2 s after the last one (the collector's own timeout) and nothing after CANCEL.
    expect(ringings.length).toBe(afterCancel);
  });
});
