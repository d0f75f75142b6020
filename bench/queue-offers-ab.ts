// `npm run bench:queue:ab -- <dir> [rounds]` — `npm run bench:queue` here and in another
// checkout (<dir>, e.g. a git worktree of the commit before a change, its node_modules linked
// to this one's and this bench/queue-offers.ts copied in), alternating, `rounds` times each (3):
// on a shared machine only runs side by side compare. Prints each run, then the medians of
// both and their ratio, and the load average.
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { percentile } from './percentiles';

const [other, roundsArg] = process.argv.slice(2);
if (!other) throw new Error('Give the other checkout: npm run bench:queue:ab -- <dir> [rounds]');
const rounds = Number(roundsArg ?? 3);
const here = resolve(import.meta.dirname, '..');

type Figures = {
  offerP50: number;
  offerP95: number;
  ringP50: number;
  ringP95: number;
  /** The server's CPU time from the burst's start to the offer (load-proof, unlike the waits). */
  cpuToOfferP50: number;
  cpuToOfferP95: number;
  cpuPerCall: number;
};

const number = (text: string, pattern: RegExp): number => {
  const found = pattern.exec(text);
  if (!found?.[1]) throw new Error(`bench:queue printed no figure for ${pattern}:\n${text}`);
  return Number(found[1]);
};

function run(dir: string): Figures {
  const text = execFileSync('npx', ['tsx', 'bench/queue-offers.ts'], { cwd: dir, encoding: 'utf8' });
  if (!/calls offered[^\n]*?(\d+) of \1\b/.test(text))
    throw new Error(`Not every call was offered:\n${text}`);
  return {
    offerP50: number(text, /offer p50\s+([\d.]+) ms/),
    offerP95: number(text, /offer p95 \(aim[^)]*\)\s+([\d.]+) ms/),
    ringP50: number(text, /180 p50 \/ p95\s+([\d.]+) ms/),
    ringP95: number(text, /180 p50 \/ p95\s+[\d.]+ ms \/ ([\d.]+) ms/),
    cpuToOfferP50: number(text, /to the offer p50 \/ p95\s+([\d.]+) ms/),
    cpuToOfferP95: number(text, /to the offer p50 \/ p95\s+[\d.]+ ms \/ ([\d.]+) ms/),
    cpuPerCall: number(text, /\(([\d.]+) ms per call\)/),
  };
}

const show = (f: Figures) =>
  `offer p50 ${f.offerP50.toFixed(1)} p95 ${f.offerP95.toFixed(1)} ms, ` +
  `180 p50 ${f.ringP50.toFixed(1)} p95 ${f.ringP95.toFixed(1)} ms, ` +
  `CPU to offer p50 ${f.cpuToOfferP50.toFixed(1)} p95 ${f.cpuToOfferP95.toFixed(1)} ms, ` +
  `CPU ${f.cpuPerCall.toFixed(2)} ms/call`;

const results: Record<'here' | 'other', Figures[]> = { here: [], other: [] };
for (let round = 1; round <= rounds; round++) {
  for (const side of round % 2 ? (['other', 'here'] as const) : (['here', 'other'] as const)) {
    const figures = run(side === 'here' ? here : resolve(other));
    results[side].push(figures);
    console.log(`round ${round} ${side.padEnd(5)} ${show(figures)}  (load ${loadavg()[0]?.toFixed(2)})`);
  }
}
const keys = [
  'offerP50',
  'offerP95',
  'ringP50',
  'ringP95',
  'cpuToOfferP50',
  'cpuToOfferP95',
  'cpuPerCall',
] as const;
const median = (side: 'here' | 'other') =>
  Object.fromEntries(
    keys.map((k) => [
      k,
      percentile(
        results[side].map((f) => f[k]),
        50,
      ),
    ]),
  ) as Figures;
const [a, b] = [median('other'), median('here')];
console.log(
  `\nmedians of ${rounds} runs each, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(`  other (${other}): ${show(a)}`);
console.log(`  here:  ${show(b)}`);
console.log(`  here / other: ${keys.map((k) => `${k} ${(b[k] / a[k]).toFixed(2)}`).join(', ')}`);
