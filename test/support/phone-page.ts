import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { launchBrowser } from './browser';
import type { BrowserSession, WatchedPage } from './browser';
import type { ServerProcess } from './server-process';

// Browser-test helpers for the softphone: each agent in its own Chromium process with its own
// tone as microphone (a WAV written here), and probes into the page's peer connections.

/** A mono 16-bit 48 kHz WAV of a steady sine, which Chromium loops as the fake microphone. */
export async function writeToneWav(file: string, hz: number, seconds = 10): Promise<void> {
  const rate = 48_000;
  const samples = rate * seconds;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i += 1) {
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 0.5 * 32767), i * 2);
  }
  const head = Buffer.alloc(44);
  head.write('RIFF', 0);
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVE', 8);
  head.write('fmt ', 12);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(rate, 24);
  head.writeUInt32LE(rate * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36);
  head.writeUInt32LE(data.length, 40);
  await writeFile(file, Buffer.concat([head, data]));
}

/**
 * Keeps every RTCPeerConnection, WebSocket and media element given a stream that the page makes,
 * for the probes below.
 */
const probeScript = `
(() => {
  const peerConnections = [];
  const sockets = [];
  const mediaElements = new Set();
  const srcObject = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject');
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    configurable: true,
    get() { return srcObject.get.call(this); },
    set(value) { if (value) mediaElements.add(this); srcObject.set.call(this, value); },
  });
  const OriginalPeerConnection = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends OriginalPeerConnection {
    constructor(...args) { super(...args); peerConnections.push(this); }
  };
  const OriginalWebSocket = window.WebSocket;
  window.WebSocket = class extends OriginalWebSocket {
    constructor(...args) { super(...args); sockets.push(this); }
  };
  window.__phoneProbe = { peerConnections, sockets, mediaElements };
})();
`;

export type Agent = WatchedPage & { browser: BrowserSession; username: string };

/** What signing in needs of a server: a test server process, or one server of a cluster. */
export type SignInServer = Pick<ServerProcess, 'url' | 'logins' | 'output'>;

export async function launchAgent(
  server: SignInServer,
  username: string,
  wav?: string,
  options: {
    executablePath?: string;
    args?: string[];
    /** More script for every document, run after the probes (e.g. to watch or hold back events). */
    initScript?: string;
  } = {},
): Promise<Agent> {
  const { initScript, ...launch } = options;
  const browser = await launchBrowser({
    ...launch,
    args: [...(wav ? [`--use-file-for-fake-audio-capture=${wav}`] : []), ...(launch.args ?? [])],
  });
  const watched = await browser.newPage({ origin: server.url });
  await watched.page.addInitScript(probeScript);
  if (initScript) await watched.page.addInitScript(initScript);
  const agent = { ...watched, browser, username };
  await signIn(agent, server, username);
  return agent;
}

export async function signIn(
  agent: WatchedPage,
  server: SignInServer,
  username: string,
  password?: string,
): Promise<void> {
  const login = password ?? server.logins[username]?.password;
  if (!login) throw new Error(`No login for ${username} in the server's output:\n${server.output()}`);
  const { page } = agent;
  await page.goto(server.url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(login);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('main', { name: 'Phone' }).waitFor();
}

export function phone(page: Page) {
  return page.getByRole('main', { name: 'Phone' });
}

/** Waits until the always-visible status line matches. */
export async function waitForStatus(page: Page, pattern: RegExp, timeout = 15_000): Promise<string> {
  const status = phone(page).locator('.status-line[role="status"]');
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = (await status.textContent()) ?? '';
    if (pattern.test(text)) return text;
    await page.waitForTimeout(50);
  }
  throw new Error(`The status line never matched ${pattern}; it says "${text}".`);
}

export type Spectrum = { levels: Record<number, number>; floor: number };

type Source = 'newest-call' | 'speakers';

/**
 * An FFT of what the page gets for `ms`, per frequency the loudest level seen (dB) and the median
 * noise floor. `newest-call`: what its newest live call receives. `speakers`: what the person
 * hears, i.e. the sum of every playing, unmuted media element.
 */
async function spectrum(page: Page, source: Source, frequencies: number[], ms: number): Promise<Spectrum> {
  return page.evaluate(
    async ({ source, frequencies, ms }) => {
      const probe = (
        window as unknown as {
          __phoneProbe: { peerConnections: RTCPeerConnection[]; mediaElements: Set<HTMLMediaElement> };
        }
      ).__phoneProbe;
      const streams: MediaStream[] = [];
      if (source === 'newest-call') {
        const live = probe.peerConnections.filter((pc) => pc.connectionState !== 'closed');
        const track = live
          .at(-1)
          ?.getReceivers()
          .find((receiver) => receiver.track.kind === 'audio')?.track;
        if (!track) throw new Error('No live call to listen to.');
        streams.push(new MediaStream([track]));
      } else {
        for (const element of probe.mediaElements) {
          const stream = element.srcObject;
          if (!(stream instanceof MediaStream) || element.paused || element.muted || element.volume === 0)
            continue;
          if (stream.getAudioTracks().some((track) => track.readyState === 'live')) streams.push(stream);
        }
      }
      const context = new AudioContext();
      const analyser = context.createAnalyser();
      analyser.fftSize = 8192;
      analyser.smoothingTimeConstant = 0;
      const holders: HTMLAudioElement[] = [];
      for (const stream of streams) {
        // WebRTC audio reaches WebAudio only while an element plays it (a muted one is enough).
        const holder = new Audio();
        holder.muted = true;
        holder.srcObject = stream;
        await holder.play().catch(() => undefined);
        holders.push(holder);
        context.createMediaStreamSource(stream).connect(analyser);
      }
      const bins = new Float32Array(analyser.frequencyBinCount);
      const binOf = (hz: number) => Math.round((hz / context.sampleRate) * analyser.fftSize);
      const levels: Record<number, number> = {};
      for (const hz of frequencies) levels[hz] = -Infinity;
      let floor = 0;
      const started = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 150));
      while (performance.now() - started < ms) {
        analyser.getFloatFrequencyData(bins);
        for (const hz of frequencies) {
          const bin = binOf(hz);
          const peak = Math.max(
            bins[bin - 1] ?? -Infinity,
            bins[bin] ?? -Infinity,
            bins[bin + 1] ?? -Infinity,
          );
          levels[hz] = Math.max(levels[hz] ?? -Infinity, peak);
        }
        const sorted = [...bins].filter(Number.isFinite).sort((a, b) => a - b);
        floor = sorted[Math.floor(sorted.length / 2)] ?? -160;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      for (const holder of holders) holder.srcObject = null;
      await context.close();
      return { levels, floor: Number.isFinite(floor) ? floor : -160 };
    },
    { source, frequencies, ms },
  );
}

/** What the page receives on its newest live call (see `spectrum`). */
export function listen(page: Page, frequencies: number[], ms = 800): Promise<Spectrum> {
  return spectrum(page, 'newest-call', frequencies, ms);
}

/** What the person at the page hears: every playing, unmuted audio element together. */
export function heard(page: Page, frequencies: number[], ms = 800): Promise<Spectrum> {
  return spectrum(page, 'speakers', frequencies, ms);
}

/** True when `hz` stands at least `margin` dB above the noise floor. */
export function hears(spectrum: Spectrum, hz: number, margin = 25): boolean {
  return (spectrum.levels[hz] ?? -Infinity) - spectrum.floor >= margin;
}

/** Polls until the page hears `hz` (or not), returning the last spectrum. */
export async function untilHears(
  page: Page,
  hz: number,
  expected: boolean,
  timeout = 10_000,
): Promise<Spectrum> {
  const deadline = Date.now() + timeout;
  let spectrum: Spectrum = { levels: {}, floor: 0 };
  while (Date.now() < deadline) {
    try {
      spectrum = await listen(page, [hz], 600);
    } catch (error) {
      // Right after Answer is clicked the call's connection may not exist yet: not heard so far.
      if (!String(error).includes('No live call to listen to')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    if (hears(spectrum, hz) === expected) return spectrum;
  }
  throw new Error(
    `Expected the page ${expected ? 'to hear' : 'not to hear'} ${hz} Hz; last: ${JSON.stringify(spectrum)}`,
  );
}

/** Audio packets received so far on the newest live call. */
export async function packetsReceived(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const probe = (window as unknown as { __phoneProbe: { peerConnections: RTCPeerConnection[] } })
      .__phoneProbe;
    const pc = probe.peerConnections.filter((candidate) => candidate.connectionState !== 'closed').at(-1);
    if (!pc) return 0;
    let packets = 0;
    (await pc.getStats()).forEach((entry: { type: string; kind?: string; packetsReceived?: number }) => {
      if (entry.type === 'inbound-rtp' && entry.kind === 'audio') packets = entry.packetsReceived ?? 0;
    });
    return packets;
  });
}

/** Closes the page's SIP WebSocket as a dropped network would (not a clean close). */
export async function dropSipSocket(page: Page): Promise<void> {
  await page.evaluate(() => {
    const probe = (window as unknown as { __phoneProbe: { sockets: WebSocket[] } }).__phoneProbe;
    for (const socket of probe.sockets)
      if (socket.readyState === WebSocket.OPEN) socket.close(4000, 'dropped by test');
  });
}

/** Calls the API from the page, with its session cookie. */
export async function apiFromPage<T>(page: Page, path: string): Promise<{ status: number; body: T }> {
  return page.evaluate(async (target) => {
    const response = await fetch(target, { credentials: 'same-origin' });
    return { status: response.status, body: (await response.json()) as T };
  }, path);
}

/** axe-core (WCAG A/AA + best practice) on the phone area only: one line per violation. */
export async function phoneAxeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.evaluate(
      await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'),
    );
  }
  return page.evaluate(async () => {
    type Result = {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown }[] }[];
    };
    const axe = (
      window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<Result> } }
    ).axe;
    const result = await axe.run(
      { include: [['main.phone-area']] },
      {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
        // Experimental in axe, so off unless named: a control whose name lacks its visible text.
        rules: { 'label-content-name-mismatch': { enabled: true } },
      },
    );
    return result.violations.map(
      (violation) =>
        `${violation.impact ?? 'minor'} ${violation.id}: ${violation.help} (${violation.nodes
          .map((node) => JSON.stringify(node.target))
          .join(', ')})`,
    );
  });
}

/**
 * The tones that stand out: above the noise floor by the margin, and within 20 dB of the loudest
 * one. A codec's and a mixer's faint products (harmonics, intermodulation, 30–50 dB down) are
 * above a digital-silence floor but are not something a person hears next to the tones.
 */
export function audibleTones(spectrum: Spectrum, tones: readonly number[]): number[] {
  const levels = tones.map((hz) => spectrum.levels[hz] ?? -Infinity);
  const loudest = Math.max(...levels);
  return tones.filter((hz, i) => hears(spectrum, hz) && (levels[i] ?? -Infinity) >= loudest - 20);
}

/**
 * Polls what the person at the page hears until exactly `expected` of `tones` stand above the
 * noise floor (the others not); returns the spectrum, or throws with the last one.
 */
export async function untilHearsExactly(
  page: Page,
  tones: readonly number[],
  expected: readonly number[],
  timeout = 10_000,
): Promise<Spectrum> {
  const deadline = Date.now() + timeout;
  let last: Spectrum = { levels: {}, floor: 0 };
  let got: number[] = [];
  while (Date.now() < deadline) {
    last = await heard(page, [...tones], 600);
    got = audibleTones(last, tones);
    if (got.length === expected.length && expected.every((hz) => got.includes(hz))) return last;
  }
  throw new Error(
    `Expected to hear exactly [${expected.join(', ')}] Hz of [${tones.join(', ')}], heard [${got.join(', ')}]; last: ${JSON.stringify(last)}`,
  );
}
