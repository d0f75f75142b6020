import { existsSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../log';
import { findOnPath } from './rtpengine-config';
import { freeLoopbackUdpPort, RtpengineNotInstalled, RtpengineSupervisor } from './rtpengine-supervisor';

const installed = findOnPath('rtpengine', process.env.PATH);
// eslint-disable-next-line no-console -- says once why the tests are skipped
if (!installed) console.warn("Skipped: the rtpengine supervisor tests need Debian's rtpengine-daemon.");

const base = 50_000 + Math.floor(Math.random() * 900) * 10;

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function supervise(ngPort?: number): RtpengineSupervisor {
  return new RtpengineSupervisor({
    interface: { local: '127.0.0.1', advertised: null },
    ports: { min: base, max: base + 9 },
    log: createLogger('silent'),
    command: installed ?? 'rtpengine',
    restartDelayMs: { first: 100, max: 400 },
    ...(ngPort === undefined ? {} : { ngPort }),
  });
}

let supervisor: RtpengineSupervisor | undefined;
afterEach(async () => {
  await supervisor?.close();
  supervisor = undefined;
});

describe.skipIf(!installed)('rtpengine run by the server', () => {
  it('answers ping, is started again when it dies, and leaves no process when closed', async () => {
    supervisor = supervise();
    const started = Date.now();
    await supervisor.start();
    expect(await supervisor.whenRunning(10_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(supervisor.status()).toMatchObject({ state: 'running', restarts: 0, problem: null });
    expect(await supervisor.ng.request({ command: 'ping' })).toEqual({ result: 'pong' });

    const first = supervisor.pid;
    expect(first).toBeGreaterThan(0);
    process.kill(first ?? 0, 'SIGKILL');
    await until(() => supervisor?.status().restarts === 1, 5_000);
    expect(supervisor.status().problem).toBe('The media bridge (rtpengine) exited (SIGKILL).');
    expect(await supervisor.whenRunning(10_000)).toBe(true);
    expect(await supervisor.ng.request({ command: 'ping' })).toEqual({ result: 'pong' });

    const second = supervisor.pid;
    expect(second).not.toBe(first);
    await supervisor.close();
    expect(existsSync(`/proc/${second}`)).toBe(false);
    expect(supervisor.pid).toBeNull();
  });

  it('says why it cannot run, from its own last words, and keeps trying', async () => {
    const ngPort = await freeLoopbackUdpPort();
    const holder = createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(ngPort, '127.0.0.1', resolve));
    try {
      supervisor = supervise(ngPort);
      await supervisor.start();
      await until(() => (supervisor?.status().restarts ?? 0) >= 2, 10_000);
      expect(supervisor.status()).toMatchObject({
        state: 'restarting',
        problem: `The media bridge (rtpengine) exited (code 255): Fatal error: Failed to open UDP NG control connection port (127.0.0.1:${ngPort}): Address already in use.`,
      });
      expect(await supervisor.whenRunning(300)).toBe(false);
    } finally {
      holder.close();
    }
    // Once the port is free, the next start answers.
    expect(await supervisor.whenRunning(10_000)).toBe(true);
  });
});

describe('rtpengine missing', () => {
  it('rejects the start with a sentence saying what to install', async () => {
    const missing = new RtpengineSupervisor({
      interface: { local: '127.0.0.1', advertised: null },
      ports: { min: base, max: base + 9 },
      log: createLogger('silent'),
      command: 'rtpengine-that-is-not-installed',
    });
    const failure = await missing.start().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RtpengineNotInstalled);
    expect(String((failure as Error).message)).toBe(
      "Trunk calls need rtpengine (rtpengine-that-is-not-installed was not found): install Debian's rtpengine-daemon, or set RTPENGINE=host:port.",
    );
  });
});
