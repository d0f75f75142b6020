import { describe, expect, it } from 'vitest';
import { parseMessage } from './parse-message';
import { jsSipInvite, nastyFragments, ringingResponse, sipJsRegister } from './sample-messages.fixture';
import { serializeMessage } from './serialize-message';

// A small deterministic PRNG so a failure can be reproduced from the seed.
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

const unlimited = {
  maxMessageBytes: 1e7,
  maxHeaders: 1e5,
  maxHeaderValues: 1e5,
  maxLineLength: 1e7,
};
const seeds = [sipJsRegister, jsSipInvite, ringingResponse];
const nasty = nastyFragments;

function mutate(random: () => number, text: string): string {
  const pick = (n: number): number => Math.floor(random() * n);
  let out = text;
  const steps = 1 + pick(6);
  for (let s = 0; s < steps; s++) {
    const at = pick(out.length + 1);
    switch (pick(8)) {
      case 0:
        out = out.slice(0, at); // truncate
        break;
      case 1:
        out = out.slice(0, at) + (nasty[pick(nasty.length)] ?? '') + out.slice(at);
        break;
      case 2:
        out = out.slice(0, at) + out.slice(at + 1 + pick(20));
        break;
      case 3:
        out = out.slice(0, at) + String.fromCharCode(pick(256)) + out.slice(at + 1);
        break;
      case 4:
        out = out.replace(/Content-Length: \d+/, `Content-Length: ${pick(5000) - 10}`);
        break;
      case 5:
        out = out.slice(0, at) + 'A'.repeat(pick(10_000)) + out.slice(at);
        break;
      case 6: {
        const lines = out.split('\r\n');
        const i = pick(lines.length);
        lines.splice(pick(lines.length), 0, ...Array<string>(pick(50)).fill(lines[i] ?? ''));
        out = lines.join('\r\n');
        break;
      }
      default:
        out = Array.from({ length: pick(200) }, () => String.fromCharCode(pick(65536))).join('');
    }
  }
  return out;
}

describe('parseMessage under fuzzing', () => {
  it('never throws on 10 000 mutated messages and stays fast', () => {
    const random = prng(20_240_601);
    let parsed = 0;
    let answerable = 0;
    const started = process.cpuUsage();
    for (let i = 0; i < 10_000; i++) {
      const input = mutate(random, seeds[i % seeds.length] ?? '');
      const result = parseMessage(input);
      if (result.ok) {
        parsed++;
        // Whatever parses must serialize to valid SIP. Limits are policy for untrusted input
        // (canonical names make the output longer), so they are lifted for this check.
        expect(parseMessage(serializeMessage(result.message), { limits: unlimited }).ok).toBe(true);
      } else if (result.error.canRespond) {
        answerable++;
        expect(result.error.request).toBeDefined();
      }
    }
    expect(parsed).toBeGreaterThan(0);
    expect(answerable).toBeGreaterThan(0);
    expect(cpuMsSince(started)).toBeLessThan(5_000);
  });

  it('handles pathological shapes quickly', () => {
    const inputs = [
      '<'.repeat(60_000),
      '"'.repeat(60_000),
      `OPTIONS sip:x SIP/2.0\r\nVia: ${'SIP/2.0/WS a;'.repeat(4000)}\r\n\r\n`,
      `OPTIONS sip:x SIP/2.0\r\n${'a:b\r\n'.repeat(12_000)}\r\n`,
      `OPTIONS sip:x SIP/2.0\r\n${' x\r\n'.repeat(12_000)}\r\n`,
      '\r\n'.repeat(30_000),
    ];
    const started = process.cpuUsage();
    for (const input of inputs) expect(parseMessage(input).ok).toBe(false);
    expect(cpuMsSince(started)).toBeLessThan(1_000);
  });
});

/**
 * CPU time this process spent since `started`, in ms: a parser that backtracks badly burns CPU,
 * which wall time on a loaded machine (other test files on the same cores) would overstate.
 */
function cpuMsSince(started: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(started);
  return (user + system) / 1000;
}
