import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { allocate } from '../../test/support/turn-allocate';
import { createLogger } from '../log';
import { CoturnSupervisor, RelayNotInstalled } from './coturn-supervisor';
import type { RelayConfig } from './relay-config';
import { turnCredentials } from './turn-credentials';

function coturnInstalled(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v turnserver'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const SECRET = 'supervisor-test-secret-0123';
const PORT = 20_000 + Math.floor(Math.random() * 10_000);

function relayOn(port: number): Extract<RelayConfig, { kind: 'spawn' }> {
  return {
    kind: 'spawn',
    secret: SECRET,
    host: null,
    port,
    tls: null,
    listenIp: '127.0.0.1',
    externalIp: null,
    relayPorts: { min: 40_000 + (port % 1000) * 10, max: 40_000 + (port % 1000) * 10 + 9 },
  };
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let supervisor: CoturnSupervisor | undefined;
afterEach(async () => {
  await supervisor?.close();
  supervisor = undefined;
});

describe.skipIf(!coturnInstalled())('coturn run by the server (TURN=spawn)', () => {
  it('answers, allocates only with valid credentials, is restarted when it dies, and stops with the server', async () => {
    supervisor = new CoturnSupervisor({
      relay: relayOn(PORT),
      secret: SECRET,
      realm: 'switchboard.local',
      log: createLogger('silent'),
      restartDelayMs: { first: 100, max: 1_000 },
    });
    await supervisor.start();
    await until(() => supervisor?.status().state === 'running', 10_000);

    const now = Math.floor(Date.now() / 1000);
    const valid = turnCredentials(SECRET, 'agent1', now + 600);
    expect(await allocate('127.0.0.1', PORT, valid.username, valid.credential)).toEqual({ allocated: true });
    // Nobody else gets an allocation: a wrong password, another secret's, an expired one.
    expect(await allocate('127.0.0.1', PORT, valid.username, 'guessed')).toEqual({
      allocated: false,
      errorCode: 401,
    });
    const forged = turnCredentials('some-other-secret-000', 'agent1', now + 600);
    expect(await allocate('127.0.0.1', PORT, forged.username, forged.credential)).toMatchObject({
      allocated: false,
    });
    const expired = turnCredentials(SECRET, 'agent1', now - 60);
    expect(await allocate('127.0.0.1', PORT, expired.username, expired.credential)).toMatchObject({
      allocated: false,
    });

    const first = supervisor.pid;
    expect(first).toBeGreaterThan(0);
    process.kill(first ?? 0, 'SIGKILL');
    await until(() => supervisor?.status().restarts === 1, 5_000);
    expect(supervisor.status().problem).toMatch(/^The relay \(coturn\) exited \(SIGKILL\)/);
    await until(() => supervisor?.status().state === 'running', 10_000);
    const again = turnCredentials(SECRET, 'agent2', now + 600);
    expect(await allocate('127.0.0.1', PORT, again.username, again.credential)).toEqual({ allocated: true });

    const second = supervisor.pid;
    expect(second).not.toBe(first);
    await supervisor.close();
    expect(existsSync(`/proc/${second}`)).toBe(false);
    await expect(allocate('127.0.0.1', PORT, again.username, again.credential, 500)).rejects.toThrow(
      /did not answer/,
    );
  });
});

describe('coturn missing', () => {
  it('TURN=spawn without coturn stops with a sentence', async () => {
    const missing = new CoturnSupervisor({
      relay: relayOn(PORT + 1),
      secret: SECRET,
      realm: 'switchboard.local',
      log: createLogger('silent'),
      command: 'turnserver-that-is-not-installed',
    });
    const failure = await missing.start().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RelayNotInstalled);
    expect(String(failure)).toMatch(
      /TURN=spawn needs coturn \(turnserver-that-is-not-installed was not found\)/,
    );
  });
});
