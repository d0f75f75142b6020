import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { profileSchema } from '../contracts/profiles';
import { userWithPasswordSchema } from '../contracts/users';
import { markGapStart, startGapWatch, stopGapWatch } from './support/audio-gap';
import { launchBrowser } from './support/browser';
import {
  dropSipSocket,
  heard,
  hears,
  launchAgent,
  phone,
  phoneAxeViolations,
  signIn,
  untilHears,
  waitForStatus,
  writeToneWav,
} from './support/phone-page';
import type { Agent } from './support/phone-page';
import { startServer } from './support/server-process';
import type { ServerProcess } from './support/server-process';

const TONE = { agent1: 600, agent2: 1100 } as const;
const KEEPALIVE_SECONDS = 2;

let server: ServerProcess;
let folder: string;
const agents: Agent[] = [];

beforeAll(async () => {
  // A short keep-alive, so a page that stopped answering pings would lose its socket in seconds.
  server = await startServer({ env: { SIP_KEEPALIVE_SECONDS: String(KEEPALIVE_SECONDS) } });
  folder = await mkdtemp(path.join(tmpdir(), 'switchboard-tones-'));
});

afterAll(async () => {
  for (const agent of agents) await agent.browser.close();
  await server?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function agentWithTone(username: keyof typeof TONE): Promise<Agent> {
  const wav = path.join(folder, `${username}.wav`);
  await writeToneWav(wav, TONE[username]);
  const agent = await launchAgent(server, username, wav);
  agents.push(agent);
  return agent;
}

/** Signs in to the API as the admin and returns a fetch that carries the session cookie. */
async function adminApi(): Promise<(method: string, route: string, body?: unknown) => Promise<unknown>> {
  const password = server.logins.admin?.password;
  if (!password) throw new Error('No admin login printed.');
  const signIn = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return async (method, route, body) => {
    const response = await fetch(`${server.url}${route}`, {
      method,
      headers: { Cookie: cookie, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as unknown;
    if (!response.ok)
      throw new Error(`${method} ${route} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
}

describe('the softphone when things go wrong', () => {
  it('shows the server’s refusal as a sentence when a profile without "call" forces a call', async () => {
    const api = await adminApi();
    const profile = profileSchema.parse(
      await api('POST', '/api/profiles', { name: 'no_calls', capacity: 5, channelLimit: 5, flags: [] }),
    );
    const created = userWithPasswordSchema.parse(
      await api('POST', '/api/users', {
        username: 'caller9',
        displayName: 'Caller Nine',
        extension: '1099',
        profileId: profile.id,
      }),
    );
    const browser = await launchBrowser();
    const watched = await browser.newPage({ origin: server.url });
    agents.push({ ...watched, browser, username: 'caller9' });
    await signIn(watched, server, 'caller9', created.password);
    await waitForStatus(watched.page, /^Registered as 1099/);

    // The screen explains that calling is off...
    const page = watched.page;
    expect(await phone(page).getByRole('button', { name: 'Call' }).isDisabled()).toBe(true);
    expect(await phone(page).textContent()).toContain('does not include placing calls');
    // ...but the server is the one that decides: force the call past the disabled controls.
    await page.evaluate(() => {
      for (const element of document.querySelectorAll('.dialer [disabled]'))
        element.removeAttribute('disabled');
    });
    await phone(page).getByLabel('Number or username').fill('1002');
    await phone(page).getByRole('button', { name: 'Call' }).click();
    const alert = phone(watched.page)
      .getByRole('alert')
      .filter({ hasText: 'Your profile does not allow outgoing calls.' });
    await alert.waitFor();
    expect(await phoneAxeViolations(watched.page)).toEqual([]);
    expect(watched.consoleProblems).toEqual([]);
  });

  it('shows reconnecting after the server is killed, and registered within 5 s of it being back', async () => {
    const agent1 = await agentWithTone('agent1');
    await waitForStatus(agent1.page, /^Registered as 1001/);
    await server.kill();
    await waitForStatus(agent1.page, /reconnecting/i, 10_000);
    expect(await phoneAxeViolations(agent1.page)).toEqual([]);
    await server.restart();
    const back = Date.now();
    await waitForStatus(agent1.page, /^Registered as 1001/, 5_000);
    expect(Date.now() - back).toBeLessThan(5_000);
  });

  it('keeps a call when the caller’s WebSocket drops: ICE restart, audio flows again', async () => {
    const agent1 = agents.find((agent) => agent.username === 'agent1') ?? (await agentWithTone('agent1'));
    const agent2 = await agentWithTone('agent2');
    await waitForStatus(agent1.page, /^Registered as 1001/);
    await waitForStatus(agent2.page, /^Registered as 1002/);

    await phone(agent1.page).getByLabel('Number or username').fill('agent2');
    await phone(agent1.page).getByLabel('Number or username').press('Enter');
    await phone(agent2.page)
      .getByRole('region', { name: 'Incoming call' })
      .getByRole('button', { name: 'Answer' })
      .click();
    await phone(agent1.page)
      .getByRole('heading', { name: /^In call with/ })
      .waitFor();
    await untilHears(agent2.page, TONE.agent1, true);

    const ufrag = () =>
      agent1.page.evaluate(() => {
        const probe = (window as unknown as { __phoneProbe: { peerConnections: RTCPeerConnection[] } })
          .__phoneProbe;
        const pc = probe.peerConnections.filter((candidate) => candidate.connectionState !== 'closed').at(-1);
        return /a=ice-ufrag:(\S+)/.exec(pc?.localDescription?.sdp ?? '')?.[1] ?? null;
      });
    const ufragBefore = await ufrag();
    expect(ufragBefore).not.toBeNull();
    // What agent2 hears of agent1 from the drop until the call has carried on for a while.
    await startGapWatch(agent2.page, TONE.agent1);
    await markGapStart(agent2.page);
    await dropSipSocket(agent1.page);
    await waitForStatus(agent1.page, /reconnecting|Connecting/i, 5_000);
    await waitForStatus(agent1.page, /^Registered as 1001/, 10_000);
    // The phone renegotiated with an ICE restart (new ICE credentials)...
    for (let tries = 0; tries < 50 && (await ufrag()) === ufragBefore; tries += 1)
      await agent1.page.waitForTimeout(100);
    expect(await ufrag()).not.toBe(ufragBefore);
    // ...the call is still there on both sides, and both hear each other.
    await phone(agent1.page)
      .getByRole('heading', { name: /^In call with/ })
      .waitFor();
    await phone(agent2.page)
      .getByRole('heading', { name: /^In call with/ })
      .waitFor();
    await untilHears(agent2.page, TONE.agent1, true);
    await untilHears(agent1.page, TONE.agent2, true);
    const gapMs = await stopGapWatch(agent2.page);
    // eslint-disable-next-line no-console -- the figure is reported with the issue
    console.log(`audio gap heard by agent2 across agent1's WebSocket drop and ICE restart: ${gapMs} ms`);
    expect(gapMs).toBeLessThanOrEqual(3_000);

    await phone(agent1.page).getByRole('button', { name: 'Hang up' }).click();
    await phone(agent2.page)
      .getByText(/hung up\.$/)
      .waitFor();
    expect(
      agent1.consoleProblems.filter(
        // The previous test killed the server under this page: its live-events stream broke then,
        // and Chromium logs a request that was in flight at that moment, or sent on a connection
        // it still held to the killed server, under one of the names of a connection that went
        // away (refused, reset, closed, aborted, not connected, an empty response).
        (line) =>
          !/\/api\/events|net::ERR_(CONNECTION_[A-Z]+|SOCKET_NOT_CONNECTED|EMPTY_RESPONSE)\b/.test(line),
      ),
    ).toEqual([]);
    expect(agent2.consoleProblems).toEqual([]);
  });
  it('keeps the socket of a frozen tab: Chromium answers the edge’s pings itself', async () => {
    const agent2 = agents.find((agent) => agent.username === 'agent2') ?? (await agentWithTone('agent2'));
    await waitForStatus(agent2.page, /^Registered as 1002/);
    const socketStates = () =>
      agent2.page.evaluate(() => {
        const probe = (window as unknown as { __phoneProbe: { sockets: WebSocket[] } }).__phoneProbe;
        return probe.sockets.map((socket) => socket.readyState);
      });
    // This server does drop a socket that leaves its pings unanswered, within the keep-alive.
    const silent = new WebSocket(`${server.url.replace(/^http/, 'ws')}/sip`, 'sip', { autoPong: false });
    await once(silent, 'open');
    const opened = Date.now();
    await once(silent, 'close');
    expect(Date.now() - opened).toBeLessThan(KEEPALIVE_SECONDS * 1000 + 1000);

    const before = await socketStates();
    // Frozen as Chromium freezes a background tab (no timers, no tasks, no JavaScript), for 2.5
    // keep-alive periods; then its main thread busy for as long.
    const cdp = await agent2.context.newCDPSession(agent2.page);
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    await new Promise((resolve) => setTimeout(resolve, KEEPALIVE_SECONDS * 2500));
    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    await agent2.page.evaluate((ms) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        // Busy: no timers, no events, no JavaScript answers anything.
      }
    }, KEEPALIVE_SECONDS * 2500);
    await agent2.page.waitForTimeout(200);
    // The same socket is still open (a dropped one would have closed, and a new one opened).
    expect(await socketStates()).toEqual(before);
    await waitForStatus(agent2.page, /^Registered as 1002/, 1000);
  });
  it('rings through the ringer’s own audio element (440 + 480 Hz), silent once declined', async () => {
    const agent1 = agents.find((agent) => agent.username === 'agent1') ?? (await agentWithTone('agent1'));
    const agent2 = agents.find((agent) => agent.username === 'agent2') ?? (await agentWithTone('agent2'));
    await waitForStatus(agent1.page, /^Registered as 1001/);
    await waitForStatus(agent2.page, /^Registered as 1002/);
    await phone(agent1.page).getByLabel('Number or username').fill('agent2');
    await phone(agent1.page).getByLabel('Number or username').press('Enter');
    const incoming = phone(agent2.page).getByRole('region', { name: 'Incoming call' });
    await incoming.waitFor();
    // The first 2 s of each 6 s cycle ring; listen through one burst.
    const ringing = await heard(agent2.page, [440, 480], 2500);
    expect(hears(ringing, 440) && hears(ringing, 480)).toBe(true);
    expect(await agent2.page.locator('audio[data-phone-audio="ringer"]').count()).toBe(1);
    await incoming.getByRole('button', { name: 'Decline' }).click();
    await agent2.page.locator('audio[data-phone-audio="ringer"]').waitFor({ state: 'detached' });
  });
});
