/**
 * Monitor sessions between three Chromium processes through the real server and SIP edge: the
 * customer (agent2, 440 Hz) calls agent1 (660 Hz); the operator (880 Hz) monitors from the
 * operator panel. ROUNDS=… rounds (default 10), each: Listen, Whisper, Barge, Listen, Stop.
 * Prints p50/p95 of:
 *   - set-up: the click on Listen → the operator hearing agent1 (FFT), and the monitor INVITE
 *     leaving the operator's WebSocket → its ACK (SIP);
 *   - mode switch → audible change: Whisper → agent1 hears the operator; Barge → the customer
 *     hears the operator; Listen → agent1 no longer hears the operator;
 * and the CPU of agent1's Chromium (renderer, and all its processes) over 10 s of a plain call
 * and over 10 s of barge, from the browser's own process counters.
 *
 *   npm run bench:monitor            (or: npx tsx bench/monitor-session.ts)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchAgent, phone, waitForStatus, writeToneWav, type Agent } from '../test/support/phone-page';
import { startServer } from '../test/support/server-process';
import { ms, percentile } from './percentiles';
import { toneWatcher } from './tone-watcher';
import { sipTimer, sipTimes } from './sip-timer';

const ROUNDS = Number(process.env.ROUNDS ?? 10);
const TONE = { agent2: 440, agent1: 660, operator: 880 } as const;
const CPU_WINDOW_MS = 10_000;

type ProcessCpu = { renderer: number; all: number };

/** CPU seconds used so far by the browser's processes (SystemInfo.getProcessInfo). */
async function cpuSeconds(browser: Browser): Promise<ProcessCpu> {
  const session = await browser.newBrowserCDPSession();
  const { processInfo } = (await session.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; id: number; cpuTime: number }[];
  };
  await session.detach();
  return {
    renderer: processInfo.filter((p) => p.type === 'renderer').reduce((sum, p) => sum + p.cpuTime, 0),
    all: processInfo.reduce((sum, p) => sum + p.cpuTime, 0),
  };
}

async function cpuOver(browser: Browser, windowMs: number): Promise<ProcessCpu> {
  const before = await cpuSeconds(browser);
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const after = await cpuSeconds(browser);
  const share = (seconds: number) => (seconds / (windowMs / 1000)) * 100;
  return { renderer: share(after.renderer - before.renderer), all: share(after.all - before.all) };
}

/** Clicks, then resolves with the ms until `page`'s speakers (stop) carry `hz`. */
async function clickUntilTone(button: Locator, page: Page, hz: number, present: boolean): Promise<number> {
  const heard = page.evaluate<number>(`window.__untilTone(${hz}, ${present})`);
  const clicked = Date.now();
  await button.click();
  return (await heard) - clicked;
}

async function main(): Promise<void> {
  const server = await startServer();
  const folder = await mkdtemp(path.join(tmpdir(), 'switchboard-bench-monitor-'));
  const people: Partial<Record<keyof typeof TONE, Agent>> = {};
  try {
    for (const [username, hz] of Object.entries(TONE)) {
      const wav = path.join(folder, `${username}.wav`);
      await writeToneWav(wav, hz, 60);
      people[username as keyof typeof TONE] = await launchAgent(server, username, wav);
    }
    const { agent1, agent2, operator } = people;
    if (!agent1 || !agent2 || !operator) throw new Error('A browser did not start.');
    for (const person of [agent1, agent2, operator]) await person.page.evaluate(toneWatcher);
    await operator.page.evaluate(sipTimer('__monitorMarks', 'X-Switchboard-Monitor'));
    await waitForStatus(agent1.page, /^Registered/);
    await waitForStatus(agent2.page, /^Registered/);
    await waitForStatus(operator.page, /^Registered/);

    await phone(agent2.page).getByLabel('Number or username').fill('1001');
    await phone(agent2.page).getByLabel('Number or username').press('Enter');
    await phone(agent1.page)
      .getByRole('region', { name: 'Incoming call' })
      .getByRole('button', { name: 'Answer' })
      .click();
    await agent1.page.evaluate<number>(`window.__untilTone(${TONE.agent2}, true)`);
    const plainCall = await cpuOver(agent1.browser.browser, CPU_WINDOW_MS);

    const console_ = operator.page.getByRole('complementary', { name: 'Console' });
    const row = console_.getByRole('row', { name: /^Agent One/ });
    const session = console_.getByRole('region', { name: 'Monitor session' });
    const mode = (name: string) =>
      session.getByRole('group', { name: 'Monitor mode' }).getByRole('button', { name });
    const setUp: number[] = [];
    const toWhisper: number[] = [];
    const toBarge: number[] = [];
    const toListen: number[] = [];
    let barge: ProcessCpu | null = null;
    for (let round = 0; round < ROUNDS + 1; round += 1) {
      const listen = row.getByRole('button', { name: 'Listen' });
      await listen.waitFor();
      const started = await clickUntilTone(listen, operator.page, TONE.agent1, true);
      const whisper = await clickUntilTone(mode('Whisper'), agent1.page, TONE.operator, true);
      const barged = await clickUntilTone(mode('Barge'), agent2.page, TONE.operator, true);
      if (round === 1) barge = await cpuOver(agent1.browser.browser, CPU_WINDOW_MS);
      const back = await clickUntilTone(mode('Listen'), agent1.page, TONE.operator, false);
      await session.getByRole('button', { name: 'Stop' }).click();
      await operator.page.evaluate<number>(`window.__untilTone(${TONE.agent1}, false)`);
      if (round === 0) continue; // the first round warms up
      setUp.push(started);
      toWhisper.push(whisper);
      toBarge.push(barged);
      toListen.push(back);
    }
    const sip = (await operator.page.evaluate<number[]>(sipTimes('__monitorMarks'))).slice(1);

    const line = (label: string, values: number[]) =>
      console.log(
        `  ${label.padEnd(46)} p50 ${ms(percentile(values, 50))}  p95 ${ms(percentile(values, 95))}`,
      );
    console.log(`Monitor sessions over loopback, ${setUp.length} rounds (three Chromium processes):`);
    line('set-up: monitor INVITE → ACK (SIP)', sip);
    line('set-up: click Listen → operator hears agent1', setUp);
    line('switch: click Whisper → agent1 hears operator', toWhisper);
    line('switch: click Barge → customer hears operator', toBarge);
    line('switch: click Listen → agent1 stops hearing', toListen);
    const cpu = (label: string, value: ProcessCpu | null) =>
      console.log(
        `  ${label.padEnd(46)} renderer ${value?.renderer.toFixed(1) ?? '?'} %  all processes ${value?.all.toFixed(1) ?? '?'} % of one core`,
      );
    cpu("agent1's Chromium, plain call (10 s)", plainCall);
    cpu("agent1's Chromium, during barge (10 s)", barge);
    const problems = [agent1, agent2, operator].flatMap((person) => person.consoleProblems);
    if (problems.length) console.log(`Console problems:\n${problems.join('\n')}`);
  } finally {
    for (const person of Object.values(people)) await person.browser.close();
    await server.stop();
    await rm(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
