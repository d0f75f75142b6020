import { execFile, execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// A network namespace with only a loopback link, for a trunk test that runs Chromium, the server,
// rtpengine and baresip together: Chromium offers ICE candidates on every interface it has, and
// here the only one is lo, so every media path is loopback. The test process itself stays in the
// root namespace and reaches the programs inside through `forward` (a TCP port here piped through
// a Unix socket, which is a file and so crosses namespaces, to 127.0.0.1:<port> inside).
// nat-lab.ts builds the multi-namespace NAT lab in the same way (ip netns, wrapper scripts).

export type LoopbackNamespace = {
  /** The namespace's name (`ip netns exec <name> …`). */
  name: string;
  /** The command prefix that runs a program inside, e.g. `spawn(ns.exec[0], [...ns.exec.slice(1), 'rtpengine', …])`. */
  exec: readonly string[];
  /** An executable that runs `program` inside (e.g. Chromium, for playwright-core's executablePath). */
  wrapper(program: string): Promise<string>;
  /** A port on 127.0.0.1 here whose TCP connections reach 127.0.0.1:`port` inside. */
  forward(port: number): Promise<number>;
  /** Stops the forwarders, deletes the namespace and its scripts (stop the programs inside first). */
  close(): Promise<void>;
};

/** Why a loopback namespace cannot be made here, as one sentence, or null when it can. */
export function loopbackNamespaceUnavailable(): string | null {
  if (process.platform !== 'linux') return 'The loopback namespace needs Linux network namespaces.';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0)
    return 'The loopback namespace needs root (network namespaces); run the tests as root to include it.';
  try {
    execFileSync('sh', ['-c', 'command -v ip'], { stdio: 'ignore' });
  } catch {
    return 'The loopback namespace needs ip (apt-get install iproute2).';
  }
  return null;
}

/** Runs inside the namespace: a Unix socket whose connections are piped to 127.0.0.1:port. */
const INNER_FORWARDER = `
const net = require('node:net');
const [socketPath, port] = process.argv.slice(1);
net.createServer((outer) => {
  const inner = net.connect(Number(port), '127.0.0.1');
  outer.pipe(inner).pipe(outer);
  inner.on('error', () => outer.destroy());
  outer.on('error', () => inner.destroy());
}).listen(socketPath, () => process.stdout.write('ready\\n'));
`;

let made = 0;

export async function createLoopbackNamespace(): Promise<LoopbackNamespace> {
  made += 1;
  const name = `sb${process.pid % 100_000}-lo${made}`;
  const folder = await mkdtemp(path.join(tmpdir(), 'switchboard-loopback-ns-'));
  const exec = ['ip', 'netns', 'exec', name] as const;
  const forwarders: { child: ChildProcess; server: Server; sockets: Set<Socket> }[] = [];
  let scripts = 0;

  // A run of this process id that was killed may have left its namespace behind.
  await run('ip', ['netns', 'del', name]).catch(() => undefined);
  await run('ip', ['netns', 'add', name]);
  await run('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up']);

  async function close(): Promise<void> {
    for (const { child, server, sockets } of forwarders) {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await exited;
      }
    }
    forwarders.length = 0;
    await run('ip', ['netns', 'del', name]).catch(() => undefined);
    await rm(folder, { recursive: true, force: true });
  }

  return {
    name,
    exec,
    async wrapper(program) {
      scripts += 1;
      const script = path.join(folder, `run-${scripts}`);
      await writeFile(script, `#!/bin/sh\nexec ${exec.join(' ')} ${program} "$@"\n`);
      await chmod(script, 0o755);
      return script;
    },
    async forward(port) {
      const socketPath = path.join(folder, `forward-${port}.sock`);
      const child = spawn(
        exec[0],
        [...exec.slice(1), process.execPath, '-e', INNER_FORWARDER, socketPath, String(port)],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      await new Promise<void>((resolve, reject) => {
        let output = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('ready')) resolve();
        });
        child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.once('exit', () => reject(new Error(`The forwarder into ${name} stopped: ${output}`)));
      });
      const sockets = new Set<Socket>();
      const server = createServer((outer) => {
        const inner = connect(socketPath);
        sockets.add(outer).add(inner);
        outer.pipe(inner).pipe(outer);
        inner.on('error', () => outer.destroy());
        outer.on('error', () => inner.destroy());
        outer.on('close', () => {
          sockets.delete(outer);
          sockets.delete(inner);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      forwarders.push({ child, server, sockets });
      const address = server.address();
      if (!address || typeof address !== 'object') throw new Error('The forwarder has no port.');
      return address.port;
    },
    close,
  };
}
