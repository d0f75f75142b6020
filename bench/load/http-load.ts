// The HTTP load generator of the API bench: `clients` keep-alive connections, each sending one
// GET at a time for a fixed time, the same way to whichever server answers.
import { Agent, get, type OutgoingHttpHeaders } from 'node:http';

export type HttpRound = { requests: number; errors: number; seconds: number; latencies: number[] };

function once(url: string, agent: Agent, headers: OutgoingHttpHeaders): Promise<boolean> {
  return new Promise((resolve, reject) => {
    get(url, { agent, headers }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode === 200));
      response.once('error', reject);
    }).once('error', reject);
  });
}

/** One keep-alive pool per server, so every round reuses the same connections. */
export function keepAlive(clients: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: clients });
}

export async function getFor(
  url: string,
  headers: OutgoingHttpHeaders,
  agent: Agent,
  clients: number,
  seconds: number,
): Promise<HttpRound> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const ok = await once(url, agent, headers);
        latencies.push(performance.now() - t0);
        if (!ok) errors++;
      }
    }),
  );
  return { requests: latencies.length, errors, seconds: (performance.now() - started) / 1000, latencies };
}
