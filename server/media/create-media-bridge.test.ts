import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { createLogger } from '../log';
import { createMediaBridge } from './create-media-bridge';
import { MediaBridgeError } from './media-bridge';
import type { MediaBridge } from './media-bridge';
import { findOnPath } from './rtpengine/rtpengine-config';
import { RtpengineSupervisor } from './rtpengine/rtpengine-supervisor';
import { chromiumAnswer, chromiumOffer, plainAnswer, plainOffer } from './rtpengine/sample-sdp.fixture';

const installed = findOnPath('rtpengine', process.env.PATH);
// eslint-disable-next-line no-console -- says once why the tests are skipped
if (!installed) console.warn("Skipped: the media bridge tests need rtpengine (Debian's rtpengine-daemon).");

const silent = createLogger('silent');
let nextBase = 52_000 + Math.floor(Math.random() * 400) * 20;
/** A port range of this test's own (the default 30000-39999 is left to running servers). */
function ports(): string {
  const base = nextBase;
  nextBase += 20;
  return `${base}-${base + 19}`;
}

/** The pids of rtpengine processes started with this `--port-min`. */
function rtpenginesWith(portMin: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return args.includes(`--port-min=${portMin}`) && path.basename(args[0] ?? '') === 'rtpengine';
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const lines = (sdp: string) => sdp.split('\r\n').filter(Boolean);
const WEBRTC_ONLY =
  /^a=(ice-|candidate|end-of-candidates|fingerprint|setup|msid|ssrc|mid|group|extmap|rtcp-rsize|rtcp-mux)/;

let bridge: MediaBridge | undefined;
afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
});

describe('without rtpengine', () => {
  const empty = mkdtempSync(path.join(tmpdir(), 'switchboard-path-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('is off with a sentence saying what to install, and refuses offers and answers with it', async () => {
    bridge = createMediaBridge(loadConfig({ PATH: empty }), silent);
    bridge.start();
    const sentence =
      "Trunk calls need rtpengine: install Debian's rtpengine-daemon, or set RTPENGINE=host:port";
    expect(bridge.status()).toEqual({ state: 'off', problem: sentence });
    const offer = { callId: 'c', fromTag: 'f', sdp: chromiumOffer, toward: 'trunk' as const };
    await expect(bridge.offer(offer)).rejects.toThrow(MediaBridgeError);
    await expect(bridge.offer(offer)).rejects.toThrow(`${sentence}.`);
    await expect(bridge.answer({ ...offer, toTag: 't', toward: 'browser' })).rejects.toThrow(`${sentence}.`);
    await bridge.delete('c');
    expect(await bridge.list()).toEqual([]);
  });
});

describe.skipIf(!installed)('rtpengine as the media bridge', () => {
  it('a browser calls a trunk: the trunk gets plain RTP with G.711 and tones, the browser WebRTC back', async () => {
    const range = ports();
    const config = loadConfig({ PATH: process.env.PATH, HOST: '127.0.0.1', RTPENGINE_PORTS: range });
    const [min = 0, max = 0] = range.split('-').map(Number);
    bridge = createMediaBridge(config, silent);
    expect(bridge.status()).toMatchObject({
      state: 'off',
      problem: expect.stringMatching(/first trunk/) as unknown,
    });
    bridge.start();
    bridge.start();
    expect(bridge.status()).toMatchObject({ state: 'starting' });

    const toTrunk = await bridge.offer({
      callId: 'out-1',
      fromTag: 'browser-tag',
      sdp: chromiumOffer,
      toward: 'trunk',
    });
    expect(bridge.status()).toMatchObject({ state: 'running' });
    const media = lines(toTrunk).filter((line) => line.startsWith('m='));
    expect(media).toHaveLength(1);
    const [, port, profile, ...formats] = (media[0] ?? '').split(' ');
    expect(profile).toBe('RTP/AVP');
    expect(Number(port)).toBeGreaterThanOrEqual(min);
    expect(Number(port)).toBeLessThanOrEqual(max);
    expect(formats).toEqual(['0', '8', '126']);
    expect(lines(toTrunk).filter((line) => line.startsWith('a=rtpmap:'))).toEqual([
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:126 telephone-event/8000',
    ]);
    expect(lines(toTrunk).filter((line) => WEBRTC_ONLY.test(line))).toEqual([]);
    expect(toTrunk).toContain('c=IN IP4 127.0.0.1\r\n');
    expect(toTrunk).not.toMatch(/opus|G722|red\/|CN\//i);

    const toBrowser = await bridge.answer({
      callId: 'out-1',
      fromTag: 'browser-tag',
      toTag: 'trunk-tag',
      sdp: plainAnswer(4000, 126),
      toward: 'browser',
    });
    expect(toBrowser).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 0 126\r$/m);
    for (const needed of [
      /^a=ice-ufrag:\S+\r$/m,
      /^a=ice-pwd:\S+\r$/m,
      /^a=candidate:\S+ 1 UDP \d+ 127\.0\.0\.1 \d+ typ host\r$/m,
      /^a=fingerprint:sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}\r$/m,
      /^a=setup:passive\r$/m,
      /^a=rtcp-mux\r$/m,
      /^a=mid:0\r$/m,
    ])
      expect(toBrowser).toMatch(needed);

    expect(await bridge.list()).toEqual(['out-1']);
    await bridge.delete('out-1');
    expect(await bridge.list()).toEqual([]);
    await bridge.delete('out-1'); // already gone: still resolves
  });

  it('a trunk calls a browser: WebRTC toward the browser, and its answer reaches the trunk plain', async () => {
    bridge = createMediaBridge(
      loadConfig({ PATH: process.env.PATH, HOST: '127.0.0.1', RTPENGINE_PORTS: ports() }),
      silent,
    );
    const toBrowser = await bridge.offer({
      callId: 'in-1',
      fromTag: 'trunk-tag',
      sdp: plainOffer(4002),
      toward: 'browser',
    });
    expect(toBrowser).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 8 0 101\r$/m);
    expect(toBrowser).toMatch(/^a=setup:(actpass|passive)\r$/m);
    expect(toBrowser).toMatch(/^a=fingerprint:sha-256 /m);
    expect(toBrowser).toMatch(/^a=candidate:/m);
    expect(toBrowser).toMatch(/^a=rtcp-mux\r$/m);
    const mid = /^a=mid:(\S+)\r$/m.exec(toBrowser)?.[1];
    expect(mid).toBeDefined();

    const toTrunk = await bridge.answer({
      callId: 'in-1',
      fromTag: 'trunk-tag',
      toTag: 'browser-tag',
      sdp: chromiumAnswer(mid ?? '0'),
      toward: 'trunk',
    });
    expect(toTrunk).toMatch(/^m=audio \d+ RTP\/AVP 8 0 101\r$/m);
    expect(lines(toTrunk).filter((line) => WEBRTC_ONLY.test(line))).toEqual([]);
    expect(await bridge.list()).toEqual(['in-1']);
  });

  it('writes SIP_ADVERTISED_HOST as the media address when behind NAT', async () => {
    bridge = createMediaBridge(
      loadConfig({
        PATH: process.env.PATH,
        HOST: '127.0.0.1',
        SIP_ADVERTISED_HOST: '203.0.113.7',
        RTPENGINE_PORTS: ports(),
      }),
      silent,
    );
    const toTrunk = await bridge.offer({
      callId: 'nat-1',
      fromTag: 'b',
      sdp: chromiumOffer,
      toward: 'trunk',
    });
    expect(toTrunk).toContain('c=IN IP4 203.0.113.7\r\n');
  });

  it('starts rtpengine again when it dies, answers again, and leaves no process when closed', async () => {
    const range = ports();
    const portMin = Number(range.split('-')[0]);
    const media = createMediaBridge(
      loadConfig({ PATH: process.env.PATH, HOST: '127.0.0.1', RTPENGINE_PORTS: range }),
      silent,
      { restartDelayMs: { first: 100, max: 400 } },
    );
    bridge = media;
    media.start();
    await until(() => media.status().state === 'running', 10_000);
    const [first, ...others] = rtpenginesWith(portMin);
    expect(first).toBeGreaterThan(0);
    expect(others).toEqual([]);

    process.kill(first ?? 0, 'SIGKILL');
    await until(() => media.status().state === 'restarting', 5_000);
    expect(media.status()).toEqual({
      state: 'restarting',
      problem: 'The media bridge (rtpengine) exited (SIGKILL).',
    });
    // An offer during the restart waits for it.
    const offered = await media.offer({ callId: 'again', fromTag: 'b', sdp: chromiumOffer, toward: 'trunk' });
    expect(offered).toMatch(/RTP\/AVP/);
    expect(media.status()).toMatchObject({ state: 'running' });
    const [second] = rtpenginesWith(portMin);
    expect(second).not.toBe(first);

    await media.close();
    bridge = undefined;
    expect(rtpenginesWith(portMin)).toEqual([]);
    await expect(
      media.offer({ callId: 'x', fromTag: 'b', sdp: chromiumOffer, toward: 'trunk' }),
    ).rejects.toThrow('The media bridge is shut down.');
    expect(media.status()).toEqual({ state: 'off', problem: 'The media bridge is shut down' });
  });

  it('uses an existing rtpengine at RTPENGINE=host:port, and says when it stops answering', async () => {
    const range = ports();
    const [min = 0, max = 0] = range.split('-').map(Number);
    const existing = new RtpengineSupervisor({
      interface: { local: '127.0.0.1', advertised: null },
      ports: { min, max },
      log: silent,
      command: installed ?? undefined,
    });
    await existing.start();
    try {
      expect(await existing.whenRunning(10_000)).toBe(true);
      const media = createMediaBridge(loadConfig({ RTPENGINE: existing.ng.address }), silent);
      bridge = media;
      const toTrunk = await media.offer({
        callId: 'ext-1',
        fromTag: 'b',
        sdp: chromiumOffer,
        toward: 'trunk',
      });
      expect(toTrunk).toMatch(/^m=audio \d+ RTP\/AVP 0 8 126\r$/m);
      expect(media.status()).toMatchObject({ state: 'running' });
      expect(await media.list()).toEqual(['ext-1']);

      await existing.close();
      const failure = await media
        .offer({ callId: 'ext-2', fromTag: 'b', sdp: chromiumOffer, toward: 'trunk' })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MediaBridgeError);
      expect((failure as Error).message).toBe(
        `The media bridge (rtpengine at ${existing.ng.address}) did not answer 'offer' within 3 s.`,
      );
      expect(media.status()).toEqual({ state: 'restarting', problem: (failure as Error).message });
      // Not answering now, it is pinged before the next offer, which fails sooner.
      await expect(
        media.offer({ callId: 'ext-3', fromTag: 'b', sdp: chromiumOffer, toward: 'trunk' }),
      ).rejects.toThrow(`did not answer 'ping' within 2 s.`);
    } finally {
      await existing.close();
    }
  });
});
