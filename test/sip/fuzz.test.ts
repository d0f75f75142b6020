import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  jsSipInvite,
  nastyFragments,
  ringingResponse,
  sdpOffer,
  sipJsRegister,
} from '../../server/sip/message/sample-messages.fixture';
import { startEdgeServer, type EdgeTestServer } from './edge-test-server';
import { RawSipClient, register } from './raw-sip-client';
import { hangUp, SessionState, sessionState, TestPhone } from './sipjs-phone';

// A deterministic PRNG: a failure reproduces from the seed.
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const crlf = (lines: string[]) => lines.join('\r\n');
const bye = crlf([
  'BYE sip:abc@x.invalid;transport=ws SIP/2.0',
  'Via: SIP/2.0/WS x.invalid;branch=z9hG4bKbye1',
  'Route: <sip:switchboard.local;transport=ws;lr>',
  'From: <sip:agent1@switchboard.local>;tag=a',
  'To: <sip:agent2@switchboard.local>;tag=b',
  'Call-ID: fuzz-call',
  'CSeq: 2 BYE',
  'Content-Length: 0',
  '',
  '',
]);
const corpus = [sipJsRegister, jsSipInvite, ringingResponse, bye];
const nasty = nastyFragments;

type Payload = string | Buffer;

function generate(random: () => number): Payload {
  const pick = (n: number) => Math.floor(random() * n);
  const base = corpus[pick(corpus.length)] ?? sipJsRegister;
  switch (pick(12)) {
    case 0: // truncated
      return base.slice(0, pick(base.length));
    case 1: // binary garbage
      return Buffer.from(Array.from({ length: 1 + pick(2000) }, () => pick(256)));
    case 2: // an oversized header line
      return base.replace('Max-Forwards: 70', `X-Big: ${'a'.repeat(9000 + pick(20_000))}`);
    case 3: // bad Content-Length
      return base.replace(
        /Content-Length: [0-9]+/,
        `Content-Length: ${['-1', '99999999999', 'abc', '5', String(pick(500)), '1e3', ''][pick(7)] ?? ''}`,
      );
    case 4: // a body larger than the frame limit (the connection is closed with 1009)
      return `${base.replace(/Content-Length: [0-9]+\r\n\r\n[\s\S]*$/, '')}Content-Length: 70000\r\n\r\n${'x'.repeat(70_000)}`;
    case 5: // many headers
      return base.replace(
        'Max-Forwards: 70',
        Array.from({ length: 150 + pick(300) }, (_, i) => `X-H${i}: ${i}`).join('\r\n'),
      );
    case 6: // header folding and compact forms
      return base.replace('Call-ID:', 'i:\r\n   ').replace('To:', 't: \r\n\t');
    case 7: // the body of an SDP offer with a lying length
      return base.replace(
        /\r\n\r\n[\s\S]*$/,
        `\r\nContent-Type: application/sdp\r\nContent-Length: ${pick(400)}\r\n\r\n${sdpOffer}`,
      );
    default: {
      // random mutations
      let out = base;
      const steps = 1 + pick(6);
      for (let s = 0; s < steps; s++) {
        const at = pick(out.length + 1);
        switch (pick(5)) {
          case 0:
            out = out.slice(0, at) + (nasty[pick(nasty.length)] ?? '') + out.slice(at);
            break;
          case 1:
            out = out.slice(0, at) + out.slice(at + 1 + pick(20));
            break;
          case 2: {
            const line = out.split('\r\n')[pick(12)] ?? '';
            out = out.slice(0, at) + line + '\r\n' + out.slice(at);
            break;
          }
          case 3:
            out = out.slice(0, at) + String.fromCharCode(pick(0x2000)) + out.slice(at);
            break;
          default:
            out = out.toUpperCase();
        }
      }
      return out;
    }
  }
}

let server: EdgeTestServer;

beforeAll(async () => {
  server = await startEdgeServer();
});
afterAll(async () => {
  await server.stop();
});

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'sip');
    ws.on('error', () => undefined);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', () => reject(new Error('refused')));
  });
}

/** Sends generated payloads on one socket, reopening it when the server closes it (oversized frames). */
async function blast(
  url: string,
  count: number,
  random: () => number,
): Promise<{ sent: number; reopened: number }> {
  let ws = await open(url);
  let reopened = 0;
  let sent = 0;
  for (let i = 0; i < count; i++) {
    const payload = generate(random);
    if (ws.readyState !== WebSocket.OPEN) {
      ws = await open(url);
      reopened++;
    }
    ws.send(payload);
    sent++;
    // Let the server read: a blocked socket must not hide a crash.
    if (sent % 50 === 0) await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => setTimeout(r, 100));
  ws.terminate();
  return { sent, reopened };
}

async function healthy(): Promise<void> {
  const response = await fetch(`${server.url}/api/health`);
  expect(response.status).toBe(200);
}

async function wellFormedCall(): Promise<void> {
  const options = { wsUrl: server.wsUrl, domain: server.config.sipDomain };
  const alice = await TestPhone.online({
    ...options,
    user: 'agent1',
    password: server.passwords.get('agent1') ?? '',
  });
  const bob = await TestPhone.online({
    ...options,
    user: 'agent2',
    password: server.passwords.get('agent2') ?? '',
  });
  try {
    const { inviter, final } = alice.call('1002');
    const invitation = await bob.nextInvitation();
    await invitation.accept();
    expect((await final).status).toBe(200);
    await sessionState(inviter, SessionState.Established);
    expect(await hangUp(inviter)).toBe(200);
  } finally {
    await alice.stop();
    await bob.stop();
  }
}

/** A full GC, so heap figures compare live memory (no --expose-gc needed). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

describe('fuzz: malformed and mutated SIP over real WebSockets', () => {
  it('survives 12 000 messages on one connection and across 60, stays bounded, keeps serving', async () => {
    const random = prng(20261123);
    // A well-formed phone stays registered throughout.
    const watcher = await RawSipClient.connect(server.wsUrl);
    expect(
      (
        await register(watcher, {
          domain: server.config.sipDomain,
          user: 'agent3',
          password: server.passwords.get('agent3') ?? '',
        })
      ).status,
    ).toBe(200);

    collectGarbage();
    const baseline = process.memoryUsage();
    const started = Date.now();
    let total = 0;
    let closedBig = 0;
    const heapAfterWave: number[] = [];
    for (let w = 0; w < 2; w++) {
      const one = await blast(server.wsUrl, 3000, random);
      await healthy();
      const many = await Promise.all(Array.from({ length: 30 }, () => blast(server.wsUrl, 100, random)));
      total += one.sent + many.reduce((n, r) => n + r.sent, 0);
      closedBig += one.reopened + many.reduce((n, r) => n + r.reopened, 0);
      await healthy();
      await new Promise((r) => setTimeout(r, 200));
      collectGarbage();
      heapAfterWave.push(process.memoryUsage().heapUsed);
    }
    const elapsed = Date.now() - started;
    expect(total).toBeGreaterThanOrEqual(12_000);
    await wellFormedCall();
    expect(server.edge.control.listSeats().map((s) => s.username)).toEqual(['agent3']);
    expect(watcher.ws.readyState).toBe(WebSocket.OPEN);
    collectGarbage();
    const after = process.memoryUsage();
    const [first = 0, second = 0] = heapAfterWave;
    const transactions = server.edge.layer.transactionCount;
    // eslint-disable-next-line no-console -- the figures are reported with the issue
    console.log(
      `fuzz: ${total} messages in ${elapsed} ms (${closedBig} connections closed by the server for oversized frames); ` +
        `heap ${mb(baseline.heapUsed)} → ${mb(first)} → ${mb(second)} MB after each wave, RSS ${mb(baseline.rss)} → ${mb(after.rss)} MB; ` +
        `transactions left ${transactions.server} server / ${transactions.client} client`,
    );
    // Bounded: the second wave leaves no more behind than the first did.
    expect((second - first) / 2 ** 20).toBeLessThan(10);
    expect((after.heapUsed - baseline.heapUsed) / 2 ** 20).toBeLessThan(30);
    expect(server.edge.dialogs()).toHaveLength(0);
    watcher.terminate();
  }, 180_000);
});
