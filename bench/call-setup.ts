/**
 * Call set-up time between two Chromium pages through the real server and SIP edge: 50 calls
 * (CALLS=…), each from the click on "Call" until the call is established, with the callee on an
 * auto-answer profile so no click is in the way. Prints p50/p95 of:
 *   - SIP: INVITE leaving the caller's WebSocket → the caller's ACK of the 200 (sip.js Established),
 *   - screen: the click on "Call" → the caller's screen showing "In call with …".
 * Aim: p95 < 150 ms on loopback.
 *
 *   npm run bench:calls            (or: npx tsx bench/call-setup.ts)
 */
import type { Page } from 'playwright-core';
import { profileSchema } from '../contracts/profiles';
import { userWithPasswordSchema } from '../contracts/users';
import { launchBrowser } from '../test/support/browser';
import { phone, signIn, waitForStatus } from '../test/support/phone-page';
import { startServer } from '../test/support/server-process';
import { ms, percentile } from './percentiles';
import { sipTimer, sipTimes } from './sip-timer';
import { callTrace } from './call-trace';
import type { TraceEvent } from './call-trace';

const CALLS = Number(process.env.CALLS ?? 50);
/** CALL_TRACE=1: also print when each step of the set-up happens (median ms after the click). */
const TRACE = process.env.CALL_TRACE === '1';

async function main(): Promise<void> {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const admin = server.logins.admin?.password;
    if (!admin) throw new Error('The server printed no admin login.');
    const session = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: admin }),
    });
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const api = async (route: string, body: unknown) => {
      const response = await fetch(`${server.url}${route}`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`POST ${route}: ${response.status} ${await response.text()}`);
      return (await response.json()) as unknown;
    };
    const profile = profileSchema.parse(
      await api('/api/profiles', {
        name: 'bench_answer',
        capacity: 5,
        channelLimit: 10,
        flags: ['call', 'auto_answer'],
      }),
    );
    const callee = userWithPasswordSchema.parse(
      await api('/api/users', {
        username: 'bench_callee',
        displayName: 'Bench Callee',
        extension: '1900',
        profileId: profile.id,
      }),
    );

    const callerPage = await browser.newPage({ origin: server.url });
    await callerPage.page.addInitScript(sipTimer('__sipMarks'));
    if (TRACE) await callerPage.page.addInitScript(callTrace('__callTrace'));
    await signIn(callerPage, server, 'agent1');
    const calleePage = await browser.newPage({ origin: server.url });
    if (TRACE) await calleePage.page.addInitScript(callTrace('__callTrace'));
    await signIn(calleePage, server, 'bench_callee', callee.password);
    await waitForStatus(callerPage.page, /^Registered/);
    await waitForStatus(calleePage.page, /^Registered/);

    const screen: number[] = [];
    const steps = new Map<string, number[]>();
    for (let i = 0; i < CALLS + 1; i += 1) {
      const { elapsed, clickedAt } = await placeCall(callerPage.page);
      if (i > 0) screen.push(elapsed); // the first call warms up (microphone, audio context)
      if (TRACE && i > 0) {
        // Let the media connect (it may finish after the screen shows the call).
        await callerPage.page.waitForTimeout(300);
        for (const [side, page] of [
          ['caller', callerPage.page],
          ['callee', calleePage.page],
        ] as const) {
          const events = await page.evaluate<TraceEvent[]>('window.__callTrace.splice(0)');
          const seen = new Set<string>();
          for (const event of events) {
            const label = `${side}: ${event.what}`;
            if (event.at < clickedAt || seen.has(label)) continue;
            seen.add(label);
            steps.set(label, [...(steps.get(label) ?? []), event.at - clickedAt]);
          }
        }
      }
      await phone(callerPage.page).getByRole('button', { name: 'Hang up' }).click();
      await phone(calleePage.page)
        .getByRole('heading', { name: /^In call with/ })
        .waitFor({ state: 'detached' });
    }
    const sip = (await callerPage.page.evaluate<number[]>(sipTimes('__sipMarks'))).slice(1);

    console.log(`Call set-up over loopback, ${screen.length} calls (auto-answer callee):`);
    console.log(
      `  INVITE → established (SIP)  p50 ${ms(percentile(sip, 50))}  p95 ${ms(percentile(sip, 95))}`,
    );
    console.log(
      `  click → "In call" (screen)  p50 ${ms(percentile(screen, 50))}  p95 ${ms(percentile(screen, 95))}`,
    );
    if (TRACE) {
      console.log('Steps, ms after the click (p50, p95; how many calls had the step):');
      const rows = [...steps].map(([label, times]) => ({ label, times, p50: percentile(times, 50) }));
      for (const { label, times, p50 } of rows.sort((a, b) => a.p50 - b.p50))
        console.log(
          `  ${label.padEnd(48)} ${p50.toFixed(1).padStart(7)} ${percentile(times, 95).toFixed(1).padStart(7)}  (${times.length})`,
        );
    }
    const problems = [...callerPage.consoleProblems, ...calleePage.consoleProblems];
    if (problems.length) console.log(`Console problems:\n${problems.join('\n')}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

/**
 * Clicks "Call" for 1900 and resolves with the ms until the screen shows the established call,
 * and when the click happened (ms since the epoch).
 */
async function placeCall(page: Page): Promise<{ elapsed: number; clickedAt: number }> {
  await phone(page).getByLabel('Number or username').fill('1900');
  // A string, so tsx's helpers (e.g. __name) do not end up in the page.
  return page.evaluate<{ elapsed: number; clickedAt: number }>(`new Promise((resolve) => {
    const area = document.querySelector('main.phone-area');
    const button = [...document.querySelectorAll('button')].find((candidate) => candidate.textContent === 'Call');
    const started = performance.now();
    const observer = new MutationObserver(() => {
      if (![...area.querySelectorAll('h3')].some((h) => h.textContent.startsWith('In call with'))) return;
      observer.disconnect();
      resolve({ elapsed: performance.now() - started, clickedAt: performance.timeOrigin + started });
    });
    observer.observe(area, { childList: true, subtree: true, characterData: true });
    button.click();
  })`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
