import { afterEach, describe, expect, it } from 'vitest';
import { FakeSipEdge, header } from '../../testing/fake-sip-edge';
import { onFakeEdge, testSipCredentials, until } from '../../testing/phone-harness';
import type { CallInfo } from './call-info';
import { CallState } from './phone-state';
import { PhoneUserAgent } from './phone-user-agent';

const running: PhoneUserAgent[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((phone) => phone.stop()));
});

/** A registered phone on a fake edge, with an answered incoming call from a customer's number. */
async function answeredCall() {
  const edge = new FakeSipEdge();
  const calls: CallInfo[] = [];
  const phone = new PhoneUserAgent({
    ...onFakeEdge(edge),
    fetchCredentials: () => Promise.resolve(testSipCredentials()),
    backoff: { baseMs: 20, maxMs: 40 },
    delegate: { onStateChange: () => undefined, onCallChange: (call) => calls.push(call) },
  });
  running.push(phone);
  await phone.start();
  const callId = edge.invite('+493012345678', '+493012345678');
  await until(() => calls.length > 0, 'incoming call');
  const id = calls[0]!.id;
  await phone.answer(id);
  const ok = await edge.waitFor(
    (message) => message.status === 200 && /INVITE/.test(header(message, 'cseq') ?? ''),
    '200 to INVITE',
  );
  edge.ack(callId, ok);
  const last = () => calls.filter((call) => call.id === id).at(-1);
  await until(() => last()?.state === CallState.Established, 'established');
  return { edge, callId, last };
}

const NOTICE = "Your profile's credit runs out in 30 seconds; the call will end then";
const RAN_OUT = "Your profile's credit ran out, so the call was ended; ask your supervisor for credit";

describe('what the edge tells the phone about a call', () => {
  it('shows the edge’s notice sentence (its INFO only), then the reason it ended the call', async () => {
    const { edge, callId, last } = await answeredCall();
    edge.inDialog(callId, 'INFO', undefined, ['Content-Type: text/plain'], 'Anyone may send this');
    await edge.waitFor((message) => message.status === 415, '415 to an unmarked text INFO');
    expect(last()?.notice ?? null).toBeNull();

    edge.inDialog(
      callId,
      'INFO',
      undefined,
      ['Content-Type: text/plain', 'X-Switchboard-Notice: credit'],
      NOTICE,
    );
    await until(() => last()?.notice === NOTICE, 'the notice');

    edge.inDialog(callId, 'BYE', undefined, [`Reason: SIP;cause=402;text="${RAN_OUT}"`]);
    await until(() => last()?.state === CallState.Ended, 'ended');
    expect(last()?.endReason).toBe(`${RAN_OUT}.`);
  });

  it('a plain hang-up still says who hung up', async () => {
    const { edge, callId, last } = await answeredCall();
    edge.inDialog(callId, 'BYE', undefined, ['Reason: SIP;cause=200;text="The customer hung up"']);
    await until(() => last()?.state === CallState.Ended, 'ended');
    expect(last()?.endReason).toBe('+493012345678 hung up.');
  });
});
