import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  audibleTones,
  launchAgent,
  listen,
  phone,
  phoneAxeViolations,
  untilHears,
  waitForStatus,
  writeToneWav,
} from './support/phone-page';
import type { Agent } from './support/phone-page';
import { startServer } from './support/server-process';
import type { ServerProcess } from './support/server-process';

// Issue 20: the phone's paths no browser test walked yet, each judged by what a person would
// hear or see: a desktop notification of a call to a background tab, attended transfer (offered
// once a second call is up), a microphone change in the middle of a call, DTMF by SIP INFO.
const TONE = { agent1: 500, agent2: 1000, agent3: 1700 } as const;

/**
 * Records the microphones the page opens and the notifications it shows (plain or by a worker).
 * Headless Chromium keeps every tab visible whichever is in front, so the tab's visibility is
 * switched here (\`__setHidden\`), with the event a browser fires.
 */
const featureProbe = `
(() => {
  const probe = { userMedia: [], notifications: [] };
  window.__featureProbe = probe;
  let hidden = false;
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden });
  window.__setHidden = (value) => {
    hidden = value;
    document.dispatchEvent(new Event('visibilitychange'));
  };
  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    probe.userMedia.push({ constraints: JSON.stringify(constraints), tracks: stream.getAudioTracks() });
    return stream;
  };
  const Original = window.Notification;
  if (Original) {
    const Recorded = function (title, options) {
      probe.notifications.push({ title, body: (options && options.body) || '' });
      return new Original(title, options);
    };
    Object.defineProperty(Recorded, 'permission', { get: () => Original.permission });
    Recorded.requestPermission = (...args) => Original.requestPermission(...args);
    Recorded.prototype = Original.prototype;
    window.Notification = Recorded;
  }
  if (window.ServiceWorkerRegistration) {
    const show = ServiceWorkerRegistration.prototype.showNotification;
    ServiceWorkerRegistration.prototype.showNotification = function (title, options) {
      probe.notifications.push({ title, body: (options && options.body) || '' });
      return show.call(this, title, options);
    };
  }
})();
`;

type Probe = {
  userMedia: { constraints: string; tracks: MediaStreamTrack[] }[];
  notifications: { title: string; body: string }[];
};

let server: ServerProcess;
let folder: string;
const agents: Record<string, Agent> = {};

beforeAll(async () => {
  server = await startServer();
  folder = await mkdtemp(path.join(tmpdir(), 'switchboard-features-'));
  await Promise.all(
    Object.entries(TONE).map(async ([username, hz]) => {
      const wav = path.join(folder, `${username}.wav`);
      await writeToneWav(wav, hz);
      const agent = await launchAgent(server, username, wav);
      await agent.context.grantPermissions(['microphone', 'notifications'], { origin: server.url });
      await agent.page.addInitScript(featureProbe);
      await agent.page.reload();
      agents[username] = agent;
    }),
  );
  for (const name of Object.keys(TONE)) await waitForStatus(agent(name).page, /^Registered as 100\d/);
});

afterAll(async () => {
  for (const found of Object.values(agents)) await found.browser.close();
  await server?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

function agent(name: string): Agent {
  const found = agents[name];
  if (!found) throw new Error(`${name} did not start`);
  return found;
}

function probeOf(
  page: Page,
): Promise<Omit<Probe, 'userMedia'> & { userMedia: { constraints: string; live: boolean }[] }> {
  return page.evaluate(() => {
    const probe = (window as unknown as { __featureProbe: Probe }).__featureProbe;
    return {
      notifications: probe.notifications,
      userMedia: probe.userMedia.map((opened) => ({
        constraints: opened.constraints,
        live: opened.tracks.some((track) => track.readyState === 'live'),
      })),
    };
  });
}

/** The phone's tab goes to the background (another tab in front) or comes back. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((value) => {
    (window as unknown as { __setHidden: (hidden: boolean) => void }).__setHidden(value);
  }, hidden);
}

async function dial(page: Page, target: string): Promise<void> {
  const field = phone(page).getByRole('textbox', { name: /^(Another n|N)umber or username$/ });
  await field.fill(target);
  await field.press('Enter');
}

async function answer(page: Page): Promise<void> {
  await phone(page)
    .getByRole('region', { name: /Incoming call|Call waiting/ })
    .getByRole('button', { name: /^Answer/ })
    .click();
}

describe('the phone’s less travelled paths in Chromium', () => {
  it('announces a call to a background tab with a desktop notification naming the caller', async () => {
    const callee = agent('agent3');
    const caller = agent('agent2').page;
    await setHidden(callee.page, true);

    await dial(caller, '1003');
    await expect
      .poll(async () => (await probeOf(callee.page)).notifications, { timeout: 15_000 })
      .toEqual([
        expect.objectContaining({ title: 'Incoming call', body: expect.stringContaining('Agent Two') }),
      ]);

    await setHidden(callee.page, false);
    await phone(callee.page).getByRole('region', { name: 'Incoming call' }).waitFor();
    await phone(caller).getByRole('button', { name: 'Cancel call' }).click();
    await phone(callee.page).getByRole('region', { name: 'Incoming call' }).waitFor({ state: 'detached' });
  });

  it('offers attended transfer once a second call is up, and it connects the two others', async () => {
    const customer = agent('agent1').page;
    const transferor = agent('agent2').page;
    const target = agent('agent3').page;
    await dial(customer, '1002');
    await answer(transferor);
    await phone(customer).getByRole('heading', { name: 'In call with Agent Two' }).waitFor();
    await phone(transferor)
      .getByRole('group', { name: /^Controls for the call with/ })
      .getByRole('button', { name: 'Transfer' })
      .click();
    const connect = phone(transferor).getByRole('button', { name: /^Connect / });
    expect(await connect.count()).toBe(0);

    // A consultation call: the customer waits on hold.
    await dial(transferor, '1003');
    await answer(target);
    await phone(transferor).getByRole('heading', { name: 'In call with Agent Three' }).waitFor();
    await untilHears(target, TONE.agent2, true);
    const transfer = phone(transferor)
      .getByRole('group', { name: /^Controls for the call with/ })
      .getByRole('button', { name: 'Transfer' });
    if ((await transfer.getAttribute('aria-expanded')) !== 'true') await transfer.click();
    await connect.waitFor();
    expect(await connect.textContent()).toBe('Connect Agent Three with Agent One');
    expect(await phoneAxeViolations(transferor)).toEqual([]);
    await connect.click();

    await untilHears(customer, TONE.agent3, true);
    await untilHears(target, TONE.agent1, true);
    await phone(customer).getByRole('heading', { name: 'In call with Agent Three' }).waitFor();
    await phone(target).getByRole('heading', { name: 'In call with Agent One' }).waitFor();
    await expect
      .poll(() =>
        phone(transferor)
          .getByRole('heading', { name: /^In call with/ })
          .count(),
      )
      .toBe(0);
  });

  it('changes the microphone in the middle of a call: the new one is opened, the old one closed, audio goes on', async () => {
    const speaker = agent('agent1').page;
    const listener = agent('agent3').page;
    const microphone = phone(speaker).getByLabel('Microphone', { exact: true });
    const choices = await microphone
      .locator('option')
      .evaluateAll((options) =>
        options.map((option) => (option as HTMLOptionElement).value).filter((value) => value !== ''),
      );
    const before = await probeOf(speaker);
    const chosen = choices.find(
      (id) => id !== 'default' && !before.userMedia.at(-1)?.constraints.includes(id),
    );
    if (!chosen) throw new Error(`No other microphone to choose among ${JSON.stringify(choices)}.`);
    await microphone.selectOption(chosen);

    await expect
      .poll(async () => (await probeOf(speaker)).userMedia.at(-1)?.constraints ?? '')
      .toContain(chosen);
    const after = await probeOf(speaker);
    expect(after.userMedia.at(-1)?.live).toBe(true);
    expect(after.userMedia.slice(0, -1).every((opened) => !opened.live)).toBe(true);
    await untilHears(listener, TONE.agent1, true);
  });

  it('sends keypad tones as SIP INFO once chosen: the other phone counts them, none in the audio', async () => {
    const speaker = agent('agent1').page;
    const listener = agent('agent3').page;
    await phone(speaker).getByRole('combobox', { name: 'Keypad tones' }).selectOption('info');
    await phone(speaker).getByRole('button', { name: 'Keypad' }).click();
    // Digit 5 is 770 Hz + 1336 Hz: sent in the audio (RFC 4733) the other side would play them.
    const heard = listen(listener, [TONE.agent1, 770, 1336], 1_200);
    await phone(speaker)
      .getByRole('group', { name: 'Send tones' })
      .getByRole('button', { name: /^5/ })
      .click();
    await phone(listener).getByText('Tones received: 5').waitFor();
    const spectrum = await heard;
    // Only agent1's own tone stands out (a codec's faint products of it are 50 dB down).
    expect(audibleTones(spectrum, [TONE.agent1, 770, 1336]), JSON.stringify(spectrum)).toEqual([TONE.agent1]);
    expect(await phoneAxeViolations(speaker)).toEqual([]);

    await phone(speaker).getByRole('button', { name: 'Hang up' }).click();
    await phone(listener)
      .getByText(/hung up\.$/)
      .waitFor();
    for (const name of Object.keys(TONE)) expect(agent(name).consoleProblems).toEqual([]);
  });
});
