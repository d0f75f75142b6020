import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaresipCarrier, baresipUnavailable } from '../support/baresip-carrier';
import { createLoopbackNamespace, loopbackNamespaceUnavailable } from '../support/loopback-namespace';
import type { LoopbackNamespace } from '../support/loopback-namespace';
import { RawSipCarrier } from '../support/raw-sip-carrier';

// The carrier harness the trunk tests stand on, checked against itself: two baresip carriers
// call each other over UDP on loopback, hear each other's tone, pass DTMF, hang up, refuse.

/** Whether an OPTIONS sent from this process to the carrier's SIP port is answered within 1 s. */
async function answersOptions(carrier: BaresipCarrier): Promise<boolean> {
  const probe = createSocket('udp4');
  await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
  const from = `127.0.0.1:${probe.address().port}`;
  const answered = new Promise<boolean>((resolve) => {
    probe.once('message', (data) => resolve(data.toString().startsWith('SIP/2.0 200')));
    setTimeout(() => resolve(false), 1_000);
  });
  const request = [
    `OPTIONS ${carrier.uri()} SIP/2.0`,
    `Via: SIP/2.0/UDP ${from};branch=z9hG4bK-probe-${carrier.sipPort};rport`,
    'Max-Forwards: 70',
    `From: <sip:probe@${from}>;tag=p1`,
    `To: <${carrier.uri()}>`,
    `Call-ID: probe-${carrier.sipPort}`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  probe.send(request, carrier.sipPort, '127.0.0.1');
  const result = await answered;
  probe.close();
  return result;
}

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

  it('answers OPTIONS on its SIP port', async () => {
    expect(await answersOptions(b)).toBe(true);
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

describe.skipIf(missing !== null)(
  'the raw UDP carrier: a registrar that challenges, refusals with any code',
  () => {
    const credentials = { realm: 'carrier.test', username: 'trunk-7', password: 'pa55-w0rd' };
    let raw: RawSipCarrier;
    let phone: BaresipCarrier | undefined;

    beforeAll(async () => {
      raw = await RawSipCarrier.start({ credentials });
    });

    afterAll(async () => {
      await phone?.close();
      await raw?.close();
    });

    it('challenges a REGISTER with 401, accepts the right digest, records both', async () => {
      phone = await BaresipCarrier.start({
        numbers: ['+4930100'],
        domain: raw.hostPort,
        registerSeconds: 60,
        auth: { username: credentials.username, password: credentials.password },
      });
      const first = await raw.waitFor('REGISTER');
      expect(first).toMatchObject({ digest: 'none', answered: 401 });
      const second = await raw.waitFor('REGISTER');
      expect(second).toMatchObject({ digest: 'valid', answered: 200 });
      expect(second.request.headers.get('authorization')).toMatch(/username="trunk-7"/);
    });

    it('asks an INVITE for credentials (407), then refuses it with 503 and its reason', async () => {
      if (!phone) throw new Error('The phone did not start.');
      await phone.dial(`sip:+4930555@${raw.hostPort}`);
      expect(await raw.waitFor('INVITE')).toMatchObject({ digest: 'none', answered: 407 });
      expect(await raw.waitFor('INVITE')).toMatchObject({ digest: 'valid', answered: 503 });
      expect((await phone.waitFor('CALL_CLOSED')).param).toBe('503 Service Unavailable');
    });

    it('refuses with another code when told, and a wrong password never passes', async () => {
      if (!phone) throw new Error('The phone did not start.');
      raw.inviteResponse = { status: 486, reason: 'Busy Here' };
      await phone.dial(`sip:+4930555@${raw.hostPort}`);
      expect((await phone.waitFor('CALL_CLOSED')).param).toBe('486 Busy Here');

      const liar = await BaresipCarrier.start({
        numbers: ['+4930101'],
        domain: raw.hostPort,
        registerSeconds: 60,
        auth: { username: credentials.username, password: 'wrong' },
      });
      try {
        const tried = () =>
          raw.registers.filter((entry) => entry.request.headers.get('from')?.includes('+4930101'));
        await expect
          .poll(() => tried().map((entry) => entry.digest), { timeout: 5_000 })
          .toContain('invalid');
        expect(tried().every((entry) => entry.answered === 401)).toBe(true);
      } finally {
        await liar.close();
      }
    });
  },
);

const noNamespace = missing ?? loopbackNamespaceUnavailable();
describe.skipIf(noNamespace !== null)('two baresip carriers inside a loopback-only namespace', () => {
  let ns: LoopbackNamespace;
  const carriers: BaresipCarrier[] = [];

  beforeAll(async () => {
    ns = await createLoopbackNamespace();
    for (const [number, toneHz] of [
      ['+4930100', TONES[0]],
      ['+4930200', TONES[1]],
    ] as const)
      carriers.push(await BaresipCarrier.start({ numbers: [number], toneHz, namespace: ns }));
  });

  afterAll(async () => {
    for (const carrier of carriers) await carrier.close();
    await ns?.close();
  });

  it('call each other inside and hear each other, and are out of reach of the root namespace', async () => {
    const [a, b] = carriers;
    if (!a || !b) throw new Error('The carriers did not start.');
    await a.dial(b.uri());
    await b.waitFor('CALL_ESTABLISHED');
    await a.untilHearsExactly(TONES, [880]);
    await b.untilHearsExactly(TONES, [440]);
    await a.hangup();
    await b.waitFor('CALL_CLOSED');

    // From here, b's SIP port on 127.0.0.1 is someone else's loopback: an OPTIONS goes unanswered.
    expect(await answersOptions(b)).toBe(false);
  });
});
