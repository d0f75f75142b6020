import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverNodeFlags } from '../server-node-flags.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type SwitchboardProcess = {
  url: string;
  /** Its process id while it runs (the bench reads its CPU time), else null. */
  pid(): number | null;
  output(): string;
  stop(): Promise<void>;
  /** A crash: SIGKILL. */
  kill(): Promise<void>;
};

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * One Switchboard server (`node --import tsx server/index.ts`) on loopback, with Kamailio as its
 * SIP edge: no SIP over UDP/TCP of its own. Ready once it says it listens and /api/health answers.
 * `echo` passes its output on (the cluster command shows the demo logins the first one prints).
 */
export async function startSwitchboard(options: {
  port: number;
  env: Record<string, string>;
  echo?: (text: string) => void;
}): Promise<SwitchboardProcess> {
  const child = spawn(process.execPath, [...serverNodeFlags, '--import', 'tsx', 'server/index.ts'], {
    cwd: root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(options.port),
      SIP_UDP_PORT: '0',
      SIP_TCP_PORT: '0',
      RTPENGINE: 'off',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output = (output + text).slice(-256 * 1024);
    options.echo?.(text);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${options.port}`;
  const signal = (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
  };
  const stop = async () => {
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 10_000);
    await exited(child);
    clearTimeout(timer);
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`The server on port ${options.port} exited:\n${output.slice(-4000)}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The server on port ${options.port} did not start:\n${output.slice(-4000)}`);
    }
    if (output.includes('Switchboard is listening on')) {
      const healthy = await fetch(`${url}/api/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: () => (child.exitCode === null ? (child.pid ?? null) : null),
    output: () => output,
    stop,
    async kill() {
      signal('SIGKILL');
      await exited(child);
    },
  };
}
