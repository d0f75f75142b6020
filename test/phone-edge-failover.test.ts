import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchAgent, phone, untilHears, waitForStatus, writeToneWav } from './support/phone-page';
import type { Agent } from './support/phone-page';
import { freePort, startServer } from './support/server-process';
import { forwardTo, type Forwarder } from './support/tcp-forwarder';
import { remoteIceUfrags, untilIceRestarted } from './support/ice-restart-probe';
import type { ServerProcess } from './support/server-process';

const TONE = { agent1: 600, agent2: 1100 } as const;

/** Every text the status line showed, in order (watched from the page's first moment). */
const statusHistoryScript = `
(() => {
  const texts = [];
  window.__statusTexts = texts;
  new MutationObserver(() => {
    const text = document.querySelector('.status-line[role="status"]')?.textContent;
    if (text && texts.at(-1) !== text) texts.push(text);
  }).observe(document, { subtree: true, childList: true, characterData: true });
})();
`;

/** The WebSocket URL of the page's open SIP connection. */
function openSipSocket(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const probe = (window as unknown as { __phoneProbe: { sockets: WebSocket[] } }).__phoneProbe;
    return probe.sockets.filter((socket) => socket.readyState === WebSocket.OPEN).at(-1)?.url ?? null;
  });
}

function statusHistory(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __statusTexts: string[] }).__statusTexts);
}

let server: ServerProcess;
let forwarder: Forwarder;
let folder: string;
let urls: { dead: string; forwarded: string; direct: string };
const agents: Agent[] = [];

beforeAll(async () => {
  const port = await freePort();
  // Nothing listens here: the first edge in the list never answers.
  const deadPort = await freePort();
  forwarder = await forwardTo(port);
  urls = {
    dead: `ws://127.0.0.1:${deadPort}/sip`,
    forwarded: `ws://127.0.0.1:${forwarder.port}/sip`,
    direct: `ws://127.0.0.1:${port}/sip`,
  };
  server = await startServer({
    port,
    env: { SIP_WS_URLS: [urls.dead, urls.forwarded, urls.direct].join(',') },
  });
  folder = await mkdtemp(path.join(tmpdir(), 'switchboard-edges-'));
});

afterAll(async () => {
  for (const agent of agents) await agent.browser.close();
  await forwarder?.close().catch(() => undefined);
  await server?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function agentWithTone(username: keyof typeof TONE): Promise<Agent> {
  const wav = path.join(folder, `${username}.wav`);
  await writeToneWav(wav, TONE[username], 60);
  const agent = await launchAgent(server, username, wav, { initScript: statusHistoryScript });
  agents.push(agent);
  return agent;
}

describe('a phone with several SIP edges (SIP_WS_URLS)', () => {
  it('skips an edge that does not answer and registers through the next', async () => {
    const agent1 = await agentWithTone('agent1');
    const agent2 = await agentWithTone('agent2');
    await waitForStatus(agent1.page, /^Registered as 1001/, 15_000);
    await waitForStatus(agent2.page, /^Registered as 1002/, 15_000);
    expect(await openSipSocket(agent1.page)).toBe(urls.forwarded);
    expect(await openSipSocket(agent2.page)).toBe(urls.forwarded);
    expect(await statusHistory(agent1.page)).toContainEqual(
      expect.stringMatching(/^Connection lost: reconnecting .*\(trying the (first|second) server\)/),
    );
  });

  it('when its edge stops answering mid-call, re-registers through the next, keeps the call and can call again', async () => {
    const [agent1, agent2] = agents;
    if (!agent1 || !agent2) throw new Error('The first test signs both agents in.');
    await phone(agent1.page).getByLabel('Number or username').fill('agent2');
    await phone(agent1.page).getByLabel('Number or username').press('Enter');
    await phone(agent2.page)
      .getByRole('region', { name: 'Incoming call' })
      .getByRole('button', { name: 'Answer' })
      .click();
    await untilHears(agent2.page, TONE.agent1, true);
    await untilHears(agent1.page, TONE.agent2, true);

    const ufrags = [await remoteIceUfrags(agent1.page), await remoteIceUfrags(agent2.page)] as const;
    const dropped = Date.now();
    await forwarder.close();
    await waitForStatus(agent1.page, /^Registered as 1001/, 10_000);
    await waitForStatus(agent2.page, /^Registered as 1002/, 10_000);
    const movedMs = Date.now() - dropped;
    expect(await openSipSocket(agent1.page)).toBe(urls.direct);
    expect(await openSipSocket(agent2.page)).toBe(urls.direct);
    expect(await statusHistory(agent1.page)).toContainEqual(
      expect.stringMatching(/^Connection lost: reconnecting .*\(trying the (second|third) server\)/),
    );
    // The call carried on, and its ICE was restarted over the new connection. Both phones try at
    // once: when their re-INVITEs cross, or one arrives before the other phone is back, one of them
    // gets through after a back-off.
    await untilIceRestarted(agent1.page, ufrags[0], 15_000);
    await untilIceRestarted(agent2.page, ufrags[1], 15_000);
    await untilHears(agent2.page, TONE.agent1, true);
    await untilHears(agent1.page, TONE.agent2, true);
    // eslint-disable-next-line no-console -- the figure is reported with the issue
    console.log(`both phones registered through the next edge ${movedMs} ms after theirs went away`);
    expect(movedMs).toBeLessThan(10_000);
    await phone(agent1.page).getByRole('button', { name: 'Hang up' }).click();
    await phone(agent2.page)
      .getByText(/hung up\.$/)
      .waitFor();

    // A new call through the new edge, with audio both ways.
    await phone(agent2.page).getByLabel('Number or username').fill('agent1');
    await phone(agent2.page).getByLabel('Number or username').press('Enter');
    await phone(agent1.page)
      .getByRole('region', { name: 'Incoming call' })
      .getByRole('button', { name: 'Answer' })
      .click();
    await untilHears(agent1.page, TONE.agent2, true);
    await untilHears(agent2.page, TONE.agent1, true);
    await phone(agent2.page).getByRole('button', { name: 'Hang up' }).click();
  });
});
