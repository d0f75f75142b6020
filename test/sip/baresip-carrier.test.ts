import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaresipCarrier, baresipUnavailable } from '../support/baresip-carrier';

// The carrier harness the trunk tests stand on, checked against itself: two baresip carriers
// call each other over UDP on loopback, hear each other's tone, pass DTMF, hang up, refuse.

const missing = baresipUnavailable();
// eslint-disable-next-line no-console -- says once why the test is skipped
if (missing) console.warn(`Skipped: ${missing}`);
const TONES = [440, 880] as const;

describe.skipIf(missing !== null)('two baresip carriers over UDP loopback', () => {
  let a: BaresipCarrier;
  let b: BaresipCarrier;

  beforeAll(async () => {
    a = await BaresipCarrier.start({ numbers: ['+4930100'], toneHz: TONES[0] });
    b = await BaresipCarrier.start({
      numbers: ['+4930200', { number: '+4930486', answer: 'reject' }],
      toneHz: TONES[1],
    });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('a calls b: answered, each hears only the other tone, DTMF arrives, b hangs up and both end', async () => {
    await a.dial(b.uri('+4930200'));
    const answered = await b.waitFor('CALL_ESTABLISHED');
    expect(answered).toMatchObject({ direction: 'incoming', peeruri: expect.stringContaining('+4930100') });
    expect((await a.waitFor('CALL_ESTABLISHED')).id).toBe(answered.id);

    await a.untilHearsExactly(TONES, [880]);
    await b.untilHearsExactly(TONES, [440]);

    await a.sendDtmf('19#');
    await expect.poll(() => b.dtmfReceived(answered.id), { timeout: 5_000 }).toBe('19#');
    await b.sendDtmf('*5');
    await expect.poll(() => a.dtmfReceived(), { timeout: 5_000 }).toBe('*5');

    await b.hangup();
    expect((await a.waitFor('CALL_CLOSED')).id).toBe(answered.id);
    expect((await b.waitFor('CALL_CLOSED')).id).toBe(answered.id);
  });

  it('b calls a, a hangs up: both end', async () => {
    await b.dial(a.uri(), '+4930200');
    const answered = await a.waitFor('CALL_ESTABLISHED');
    await b.waitFor('CALL_ESTABLISHED');
    await a.hangup();
    expect((await b.waitFor('CALL_CLOSED')).id).toBe(answered.id);
    expect((await a.waitFor('CALL_CLOSED')).id).toBe(answered.id);
  });

  it('a number in reject mode refuses with 486, which the caller sees', async () => {
    await a.dial(b.uri('+4930486'));
    const closed = await a.waitFor('CALL_CLOSED');
    expect(closed.param).toMatch(/^486 /);
    expect(b.events.some((event) => event.type === 'CALL_ESTABLISHED' && event.id === closed.id)).toBe(false);
  });

  it('a number it does not have answers 404', async () => {
    await a.dial(b.uri('+4930999'));
    expect((await a.waitFor('CALL_CLOSED')).param).toMatch(/^404 /);
  });

  it('close leaves no process and no folder', async () => {
    const folder = b.folder;
    const pid = b.pid;
    await b.close();
    expect(existsSync(folder)).toBe(false);
    expect(() => process.kill(pid ?? -1, 0)).toThrow();
  });
});
