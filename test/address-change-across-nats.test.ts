import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markGapStart, startGapWatch, stopGapWatch } from './support/audio-gap';
import { chromiumPath } from './support/browser';
import { createNatLab, natLabUnavailable, SERVER_IP } from './support/nat-lab';
import type { NatLab } from './support/nat-lab';
import { launchAgent, phone, untilHears, waitForStatus, writeToneWav } from './support/phone-page';
import type { Agent } from './support/phone-page';
import { freePort, startServer } from './support/server-process';
import type { ServerProcess } from './support/server-process';

// An agent's laptop changes address mid-call (Wi-Fi to a cable): its namespace gets a new link and
// address behind its NAT and the old link is deleted. Nothing closes the phone's WebSocket and the
// page hears no `online` or connection-change event (both are kept from the phone here, so it must
// notice by itself); the call must carry on and both must hear each other again.
const TONE = { agent1: 700, agent2: 1500 } as const;
const unavailable = natLabUnavailable();
// eslint-disable-next-line no-console -- says once why the test is skipped
if (unavailable) console.warn(`Skipped: ${unavailable}`);

/**
 * Keeps the browser's network events from the page's own listeners, and counts them; notes every
 * text the phone's status line shows, with the time (a reconnection can be over within 0.2 s).
 */
const watchPage = `
(() => {
  const seen = { online: 0, offline: 0, change: 0 };
  const hide = (event) => { seen[event.type] += 1; event.stopImmediatePropagation(); };
  window.addEventListener('online', hide, true);
  window.addEventListener('offline', hide, true);
  navigator.connection?.addEventListener('change', hide, true);
  window.__networkEvents = seen;
  const statuses = [];
  window.__statuses = statuses;
  new MutationObserver(() => {
    const text = document.querySelector('.status-line[role="status"]')?.textContent ?? '';
    if (text !== statuses.at(-1)?.text) statuses.push({ at: Date.now(), text });
  }).observe(document, { subtree: true, childList: true, characterData: true });
})();
`;

/** The newest live call's local ICE username fragment (a new one after an ICE restart). */
function iceUfrag(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const probe = (window as unknown as { __phoneProbe: { peerConnections: RTCPeerConnection[] } })
      .__phoneProbe;
    const pc = probe.peerConnections.filter((candidate) => candidate.connectionState !== 'closed').at(-1);
    return /a=ice-ufrag:(\S+)/.exec(pc?.localDescription?.sdp ?? '')?.[1] ?? null;
  });
}

/** The status line's texts from `since` (ms since the epoch) on, each with when it appeared. */
async function statusesSince(page: Page, since: number): Promise<{ at: number; text: string }[]> {
  const all = await page.evaluate(
    () => (window as unknown as { __statuses: { at: number; text: string }[] }).__statuses,
  );
  return all.filter((entry) => entry.at >= since);
}

let lab: NatLab | undefined;
let folder: string | undefined;
let server: ServerProcess | undefined;
const agents: Partial<Record<keyof typeof TONE, Agent>> = {};

function agent(name: keyof typeof TONE): Agent {
  const found = agents[name];
  if (!found) throw new Error(`${name} did not start`);
  return found;
}

describe.skipIf(unavailable !== null)('an agent whose address changes mid-call, behind a NAT', () => {
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'switchboard-address-change-'));
    lab = await createNatLab(chromiumPath());
    const turnPort = await freePort();
    const first = 40_000 + (turnPort % 1000) * 10;
    server = await startServer({
      env: {
        HOST: SERVER_IP,
        TURN: 'spawn',
        TURN_LISTEN_IP: SERVER_IP,
        TURN_PORT: String(turnPort),
        TURN_RELAY_PORTS: `${first}-${first + 19}`,
        ICE_TRANSPORT_POLICY: 'relay',
      },
    });
    const started = server;
    await Promise.all(
      (['agent1', 'agent2'] as const).map(async (name) => {
        const wav = path.join(folder ?? tmpdir(), `${name}.wav`);
        await writeToneWav(wav, TONE[name]);
        agents[name] = await launchAgent(started, name, wav, {
          executablePath: lab?.chromiumIn(name === 'agent1' ? 'a' : 'b'),
          args: [`--unsafely-treat-insecure-origin-as-secure=${started.url}`],
          ...(name === 'agent1' ? { initScript: watchPage } : {}),
        });
        await waitForStatus(agent(name).page, /^Registered as 100\d/);
      }),
    );
  });

  afterAll(async () => {
    for (const one of Object.values(agents)) await one.browser.close().catch(() => undefined);
    await server?.stop();
    await lab?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('says Reconnecting…, carries the call on, both hear each other again; prints the gap', async () => {
    const caller = agent('agent1').page;
    const callee = agent('agent2').page;
    await phone(caller).getByLabel('Number or username').fill('1002');
    await phone(caller).getByLabel('Number or username').press('Enter');
    await phone(callee)
      .getByRole('region', { name: 'Incoming call' })
      .getByRole('button', { name: 'Answer' })
      .click();
    await untilHears(callee, TONE.agent1, true);
    await untilHears(caller, TONE.agent2, true);

    const ufragBefore = await iceUfrag(caller);
    await startGapWatch(callee, TONE.agent1);
    await markGapStart(callee);
    const changingAt = Date.now();
    const address = await lab?.changeAddress('a');
    // The old link is deleted last: from here on the old address is gone.
    const changedAt = Date.now();
    await expect
      .poll(async () => (await statusesSince(caller, changingAt)).map((entry) => entry.text).join(' | '), {
        timeout: 20_000,
      })
      .toMatch(/reconnecting.* \| Registered as 1001/i);
    const statuses = await statusesSince(caller, changingAt);
    const noticedMs = (statuses.find((entry) => /reconnecting/i.test(entry.text))?.at ?? 0) - changedAt;
    await untilHears(callee, TONE.agent1, true, 15_000);
    await untilHears(caller, TONE.agent2, true);
    const gapMs = await stopGapWatch(callee);
    const events = await caller.evaluate(
      () => (window as unknown as { __networkEvents: Record<string, number> }).__networkEvents,
    );
    // eslint-disable-next-line no-console -- the figure is reported with the issue
    console.info(
      `Address change (agent1 now ${address}): noticed ${noticedMs} ms after the old link was deleted; audio gap heard by agent2 ${gapMs} ms; browser network events kept from the phone: ${JSON.stringify(events)}.`,
    );
    // The same call, on both sides, renegotiated with an ICE restart, on a new WebSocket.
    for (const page of [caller, callee])
      await phone(page)
        .getByRole('heading', { name: /^In call with/ })
        .waitFor({ timeout: 1_000 });
    expect(await iceUfrag(caller)).not.toBe(ufragBefore);
    expect(gapMs).toBeLessThan(8_000);

    await phone(caller).getByRole('button', { name: 'Hang up' }).click();
    await phone(callee)
      .getByText(/hung up\.$/)
      .waitFor();
    expect(agent('agent1').consoleProblems).toEqual([]);
    expect(agent('agent2').consoleProblems).toEqual([]);
  });
});
