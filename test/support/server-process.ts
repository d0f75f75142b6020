import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Role } from '../../contracts/roles';
import { repoRoot } from './repo-root';
import { serverNodeFlags } from '../../scripts/server-node-flags.mjs';
import { ensureWebBuild } from './web-build';

export type DemoLogin = { password: string; role: Role; extension: string };

export type ServerProcess = {
  /** Where browsers reach it (inside the namespace when it runs in one). */
  url: string;
  /** Where this process reaches it: `url`, or with a namespace the forward into it. */
  apiUrl: string;
  port: number;
  /** The server's process id while it runs (null when stopped). */
  pid(): number | null;
  dataDir: string;
  /** The logins the server printed on its first start, by username. */
  logins: Record<string, DemoLogin>;
  /** Everything the server wrote so far (stdout and stderr, interleaved). */
  output(): string;
  /** Stops the server (SIGTERM, then SIGKILL) and deletes its data folder. */
  stop(): Promise<void>;
  /** Sends a signal (a crash: SIGKILL by default) and waits for the process to end; data stays. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Stops the server if it runs and starts it again on the same port and data folder. */
  restart(): Promise<void>;
};

export type StartServerOptions = {
  /** Extra environment, e.g. `{ SEED_DEMO: '0' }`. */
  env?: Record<string, string>;
  /** Builds dist/ first when it is missing or stale (default true). */
  buildWeb?: boolean;
  /** The port to listen on (default: a free one), e.g. the same origin for a second server. */
  port?: number;
  /** A given data folder, kept if the first start fails (still deleted by `stop()`). */
  dataDir?: string;
  /**
   * Runs the server inside a network namespace: the command prefix (e.g. `ns.exec`) and a way to
   * reach its port from here (e.g. `ns.forward`). See loopback-namespace.ts.
   */
  namespace?: { exec: readonly string[]; forward(port: number): Promise<number> };
};

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_LIMIT = 256 * 1024;
const LOGIN_LINE = /^\s+(\S+)\s+(\S+)\s+(agent|operator|supervisor|admin)\s+(\d+)\s*$/gm;
/** Printed once the server listens and, on a first start, has seeded and printed the logins. */
const READY_LINE = 'Switchboard is listening on';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('Could not find a free port.'));
      });
    });
  });
}

export function parseLogins(output: string): Record<string, DemoLogin> {
  const logins: Record<string, DemoLogin> = {};
  for (const match of output.matchAll(LOGIN_LINE)) {
    const [, username, password, role, extension] = match;
    if (username && password && role && extension) {
      logins[username] = { password, role: role as Role, extension };
    }
  }
  return logins;
}

function childEnv(port: number, dataDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('VITEST') && key !== 'TEST' && key !== 'NODE_ENV') env[key] = value;
  }
  // Loopback only: a test server has no business on the machine's other interfaces.
  // No SIP over UDP/TCP unless a test asks: servers run side by side and 5060 is one port.
  return {
    ...env,
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    SIP_UDP_PORT: '0',
    SIP_TCP_PORT: '0',
    ...extra,
  };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const done = await Promise.race([exited(child).then(() => true as const), timeout]);
  clearTimeout(timer);
  return done;
}

/**
 * Starts the real server (`node --import tsx server/index.ts`) on a free port with a fresh data
 * folder, waits until it says it listens and `GET /api/health` answers, and reads the demo logins
 * it printed before that.
 */
export async function startServer(options: StartServerOptions = {}): Promise<ServerProcess> {
  if (options.buildWeb ?? true) await ensureWebBuild();
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'switchboard-e2e-')));
  // A test may put the server on another local address (HOST), e.g. a link into network namespaces.
  const url = `http://${options.env?.HOST ?? '127.0.0.1'}:${port}`;
  const apiUrl = options.namespace ? `http://127.0.0.1:${await options.namespace.forward(port)}` : url;
  let output = '';
  let child: ChildProcess | null = null;
  const logins: Record<string, DemoLogin> = {};

  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT);
  };
  const tail = () => output.slice(-8_000).trimEnd() || '(no output)';
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  async function launch(): Promise<void> {
    const [command, ...args] = [
      ...(options.namespace?.exec ?? []),
      process.execPath,
      ...serverNodeFlags,
      '--import',
      'tsx',
      'server/index.ts',
    ];
    const started = spawn(command ?? process.execPath, args, {
      cwd: repoRoot,
      env: childEnv(port, dataDir, options.env ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let ready = false;
    let own = '';
    started.stdout?.on('data', (chunk: Buffer) => {
      if (!ready) own += chunk.toString('utf8');
      ready ||= own.includes(READY_LINE);
    });
    started.stdout?.on('data', append);
    started.stderr?.on('data', append);
    await waitForHealth(started, () => ready);
  }

  /** Until the server has said it listens and `/api/health` answers. */
  async function waitForHealth(started: ChildProcess, ready: () => boolean): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (started.exitCode !== null || started.signalCode !== null) {
        // Its last words may still be in the pipes: read them (they close right after the exit).
        await new Promise((resolve) => {
          started.once('close', resolve);
          setTimeout(resolve, 1_000);
        });
        throw new Error(
          `The server exited (${started.exitCode ?? started.signalCode}) before answering ${apiUrl}/api/health. Its output:\n${tail()}`,
        );
      }
      try {
        if (!ready()) throw new Error('Not listening yet.');
        const response = await fetch(`${apiUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
        if (response.ok) {
          const body = (await response.json()) as { ok?: unknown };
          if (body.ok === true) return;
        }
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    started.kill('SIGKILL');
    throw new Error(
      `The server did not answer ${apiUrl}/api/health within ${START_TIMEOUT_MS / 1000} s. Its output:\n${tail()}`,
    );
  }

  async function halt(signal: NodeJS.Signals): Promise<void> {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    running.kill(signal);
    if (!(await waitForExit(running, STOP_TIMEOUT_MS))) {
      running.kill('SIGKILL');
      await exited(running);
    }
  }

  try {
    await launch();
  } catch (error) {
    process.removeListener('exit', killOnExit);
    if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  // The logins are printed once, on the first start, before the server says it listens.
  Object.assign(logins, parseLogins(output));

  return {
    url,
    apiUrl,
    port,
    pid: () => {
      const running = child as ChildProcess | null;
      return running && running.exitCode === null && running.signalCode === null
        ? (running.pid ?? null)
        : null;
    },
    dataDir,
    logins,
    output: () => output,
    async stop() {
      await halt('SIGTERM');
      process.removeListener('exit', killOnExit);
      await rm(dataDir, { recursive: true, force: true });
    },
    async kill(signal = 'SIGKILL') {
      await halt(signal);
    },
    async restart() {
      await halt('SIGTERM');
      await launch();
    },
  };
}
