import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { percentile } from '../../bench/percentiles';
import { startEdgeServer, type EdgeTestServer } from './edge-test-server';
import { RawSipClient, register } from './raw-sip-client';

// An attacker on one address floods the edge with large INVITEs it never authenticates nor
// ACKs, reconnecting whenever the edge closes it; a phone on another address (127.0.0.2, still
// loopback) signs in meanwhile. What the edge keeps must stay small and the phone served.

const INVITES = 3000;
const SOCKETS = 8;
const BODY_BYTES = 40_000;
/** A safety net only: the attack gives up after this, whatever it managed to send. */
const FLOOD_LIMIT_MS = 30_000;

let server: EdgeTestServer;

beforeAll(async () => {
  server = await startEdgeServer();
});
afterAll(async () => {
  await server.stop();
});

const token = (bytes = 6) => randomBytes(bytes).toString('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** A full GC, so heap figures compare live memory (no --expose-gc needed). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

const candidate = (i: number) =>
  `a=candidate:${1000 + i} 1 udp 2122260223 192.0.2.${i % 250} ${50_000 + i} typ host generation 0\r\n`;
let body = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';
for (let i = 0; body.length < BODY_BYTES; i++) body += candidate(i);

function largeInvite(domain: string, host: string): string {
  return [
    `INVITE sip:1002@${domain} SIP/2.0`,
    `Via: SIP/2.0/WS ${host};branch=z9hG4bK${token()}`,
    'Max-Forwards: 70',
    `From: <sip:agent1@${domain}>;tag=${token()}`,
    `To: <sip:1002@${domain}>`,
    `Call-ID: ${token(10)}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:flood@${host};transport=ws>`,
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

interface FloodStats {
  sent: number;
  connections: number;
  /** Closed by the edge as a policy violation (1008). */
  closedByEdge: number;
  /** Upgrades the edge refused (HTTP 429). */
  refused: number;
  /** 407 challenges that came back. */
  challenged: number;
}

function openAttacker(stats: FloodStats): Promise<WebSocket | null> {
  return new Promise((resolve) => {
    const ws = new WebSocket(server.wsUrl, 'sip');
    ws.on('error', () => resolve(null));
    ws.once('unexpected-response', (_request, response) => {
      if (response.statusCode === 429) stats.refused++;
      ws.terminate();
      resolve(null);
    });
    ws.once('open', () => {
      stats.connections++;
      resolve(ws);
    });
    ws.once('close', (code) => {
      if (code === 1008) stats.closedByEdge++;
    });
    ws.on('message', (data) => {
      if (data.toString('latin1', 0, 11) === 'SIP/2.0 407') stats.challenged++;
    });
  });
}

/** Sends its share of INVITEs as fast as the socket takes them, reopening when closed. */
async function attacker(share: number, stats: FloodStats, deadline: number): Promise<void> {
  const host = `${token()}.invalid`;
  const domain = server.config.sipDomain;
  let ws: WebSocket | null = null;
  for (let mine = 0; mine < share && Date.now() < deadline;) {
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      ws = await openAttacker(stats);
      if (!ws) await sleep(20);
      continue;
    }
    if (ws.bufferedAmount > 4 * 2 ** 20) {
      await sleep(5);
      continue;
    }
    ws.send(largeInvite(domain, host));
    mine++;
    stats.sent++;
    if (mine % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  ws?.terminate();
}

/** /api/health round trips, one after another, until stopped. */
function probeHealth(): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const response = await fetch(`${server.url}/api/health`);
      await response.arrayBuffer();
      expect(response.status).toBe(200);
      latencies.push(performance.now() - started);
      await sleep(50);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return latencies;
    },
  };
}

/** Waits until the edge holds the same number of server transactions for 300 ms (at most 8 s). */
async function settled(): Promise<number> {
  const started = Date.now();
  let last = -1;
  let since = Date.now();
  while (Date.now() - started < 8000) {
    const now = server.edge.layer.transactionCount.server;
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= 300) break;
    await sleep(50);
  }
  return last;
}

describe('unauthenticated INVITE flood', () => {
  it('keeps the heap bounded, closes the abusive connections and still registers a phone', async () => {
    collectGarbage();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 50);
    const health = probeHealth();
    const stats: FloodStats = { sent: 0, connections: 0, closedByEdge: 0, refused: 0, challenged: 0 };
    const started = Date.now();
    const deadline = started + FLOOD_LIMIT_MS;
    const flood = Promise.all(
      Array.from({ length: SOCKETS }, () => attacker(Math.ceil(INVITES / SOCKETS), stats, deadline)),
    );

    // A phone on another address signs in while the flood is on.
    await sleep(1000);
    const phone = await RawSipClient.connect(server.wsUrl, {}, { localAddress: '127.0.0.2' });
    const registeredAt = performance.now();
    const registered = await register(phone, {
      domain: server.config.sipDomain,
      user: 'agent2',
      password: server.passwords.get('agent2') ?? '',
    });
    const registerMs = performance.now() - registeredAt;
    const sentWhenRegistered = stats.sent;

    await flood;
    const floodMs = Date.now() - started;
    const left = await settled();
    const latencies = await health.stop();
    clearInterval(sampler);
    collectGarbage();
    const retained = process.memoryUsage().heapUsed - baseline;

    // Once the flood is over, the attacker's own address may sign in again.
    const after = await RawSipClient.connect(server.wsUrl);
    const again = await register(after, {
      domain: server.config.sipDomain,
      user: 'agent3',
      password: server.passwords.get('agent3') ?? '',
    });

    // eslint-disable-next-line no-console -- the figures are reported with the issue
    console.log(
      `pre-auth flood: ${stats.sent} INVITEs of ${Math.round(Buffer.byteLength(largeInvite('x', 'y')) / 1024)} KiB ` +
        `in ${floodMs} ms over ${stats.connections} connections (${stats.challenged} answered 407, ` +
        `${stats.closedByEdge} connections closed by the edge, ${stats.refused} upgrades refused); heap ${mb(baseline)} MB, peak +${mb(peak - baseline)} MB, ` +
        `retained +${mb(retained)} MB with ${left} server transactions left; /api/health ` +
        `p50 ${percentile(latencies, 50).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms ` +
        `(${latencies.length} probes); REGISTER from 127.0.0.2 in ${registerMs.toFixed(0)} ms ` +
        `after ${sentWhenRegistered} INVITEs`,
    );

    expect(registered.status).toBe(200);
    expect(again.status).toBe(200);
    expect(stats.sent).toBe(INVITES);
    expect(stats.closedByEdge).toBeGreaterThan(0);
    expect(retained / 2 ** 20).toBeLessThan(64);
    // Loose: the machine running the tests is shared; the figure above is the measure.
    expect(percentile(latencies, 50)).toBeLessThan(1000);
    phone.terminate();
    after.terminate();
  }, 60_000);
});
