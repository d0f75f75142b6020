import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { Logger } from '../../log';
import { NgClient } from './ng-client';
import type { MediaInterface } from './rtpengine-config';
import { changedState, stopDaemon } from '../../daemons/daemon-process';

export type SupervisedRtpengine = {
  state: 'starting' | 'running' | 'restarting';
  since: Date;
  restarts: number;
  problem: string | null;
};

export type RtpengineSupervisorOptions = {
  /** The address media uses, and the one written in SDP when behind NAT. */
  interface: MediaInterface;
  /** The UDP ports it takes media ports from. */
  ports: { min: number; max: number };
  log: Logger;
  /** The program (Debian's rtpengine-daemon installs /usr/bin/rtpengine). */
  command?: string;
  /** Its ng control port on 127.0.0.1; by default a free one, found at start. */
  ngPort?: number;
  /** Restart delays: the first, doubled after each quick exit up to the last. */
  restartDelayMs?: { first: number; max: number };
};

/** A run that lasted this long resets the restart delay. */
const STEADY_RUN_MS = 60_000;
const PING_INTERVAL_MS = 50;
const OUTPUT_LINES_KEPT = 20;
/** rtpengine's stderr lines: `[1796543853.117342] CRIT: [core] Fatal error: …`. */
const LOG_LINE = /^\[[0-9.]+\] ([A-Z]+): (?:\[[^\]]*\]: )?(?:\[[a-z-]+\] )?(.*)$/;

export class RtpengineNotInstalled extends Error {
  override name = 'RtpengineNotInstalled';
}

/**
 * The arguments that run rtpengine in user space with nothing from /etc: no config file (Debian's
 * would bind 2223–2225), no kernel forwarding table, in the foreground logging to stderr, its ng
 * control on loopback only.
 */
export function rtpengineArgs(options: {
  interface: MediaInterface;
  ngPort: number;
  ports: { min: number; max: number };
}): string[] {
  const { local, advertised } = options.interface;
  return [
    '--config-file=none',
    '--table=-1',
    '--foreground',
    '--log-stderr',
    '--log-level=5',
    `--interface=${advertised ? `${local}!${advertised}` : local}`,
    `--listen-ng=127.0.0.1:${options.ngPort}`,
    `--port-min=${options.ports.min}`,
    `--port-max=${options.ports.max}`,
    '--timeout=60',
    '--silent-timeout=3600',
    '--delete-delay=0',
    '--num-threads=2',
  ];
}

/** A UDP port on 127.0.0.1 nobody holds now. */
export function freeLoopbackUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/**
 * Runs rtpengine as a child of this server: restarted with a growing delay when it exits,
 * `running` once it answers an ng `ping`, stopped by `close()` or when this process exits. Its
 * last output lines give the sentence `status().problem` says when it exits.
 */
export class RtpengineSupervisor {
  readonly #options: RtpengineSupervisorOptions;
  readonly #command: string;
  #ng: NgClient | null = null;
  #ngPort: number | null = null;
  #child: ChildProcess | null = null;
  #closing = false;
  #state: SupervisedRtpengine = { state: 'starting', since: new Date(), restarts: 0, problem: null };
  #delayMs: number;
  #restartTimer: ReturnType<typeof setTimeout> | undefined;
  #output: { level: string; text: string }[] = [];
  #readyWaiters: (() => void)[] = [];
  readonly #killOnExit = () => this.#child?.kill('SIGKILL');

  constructor(options: RtpengineSupervisorOptions) {
    this.#options = options;
    this.#command = options.command ?? 'rtpengine';
    this.#delayMs = options.restartDelayMs?.first ?? 500;
  }

  /** The ng client talking to this rtpengine (after `start()`). */
  get ng(): NgClient {
    if (!this.#ng) throw new Error('RtpengineSupervisor.ng is there only after start().');
    return this.#ng;
  }

  /** rtpengine's process id while it runs. */
  get pid(): number | null {
    return this.#child?.pid ?? null;
  }

  status(): SupervisedRtpengine {
    return { ...this.#state };
  }

  /**
   * Starts rtpengine; resolves once the process started (not once it answers: `status()` and
   * `whenRunning()` say when). Rejects with RtpengineNotInstalled when there is no rtpengine.
   */
  async start(): Promise<void> {
    this.#ngPort = this.#options.ngPort ?? (await freeLoopbackUdpPort());
    this.#ng = new NgClient({ host: '127.0.0.1', port: this.#ngPort });
    process.once('exit', this.#killOnExit);
    try {
      await this.#launch();
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Resolves true once rtpengine answers (at once if it does), false after `timeoutMs` or on close. */
  whenRunning(timeoutMs: number): Promise<boolean> {
    if (this.#state.state === 'running') return Promise.resolve(true);
    if (this.#closing) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = () => {
        clearTimeout(timer);
        resolve(this.#state.state === 'running');
      };
      const timer = setTimeout(() => {
        this.#readyWaiters = this.#readyWaiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.#readyWaiters.push(waiter);
    });
  }

  #launch(): Promise<void> {
    const ngPort = this.#ngPort;
    if (ngPort === null || this.#closing) return Promise.resolve();
    const args = rtpengineArgs({ interface: this.#options.interface, ngPort, ports: this.#options.ports });
    return new Promise((resolve, reject) => {
      const child = spawn(this.#command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      this.#child = child;
      const startedAt = Date.now();
      const keep = (chunk: Buffer) => {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (!line.trim()) continue;
          const match = LOG_LINE.exec(line.trim());
          const entry = { level: match?.[1] ?? 'INFO', text: (match?.[2] ?? line).trim() };
          this.#output.push(entry);
          this.#options.log.debug(`rtpengine: ${entry.level} ${entry.text}`);
        }
        this.#output = this.#output.slice(-OUTPUT_LINES_KEPT);
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      child.once('spawn', () => {
        this.#set({ state: this.#state.restarts > 0 ? 'restarting' : 'starting' });
        void this.#watchUntilAnswering(child);
        resolve();
      });
      child.once('error', (error: NodeJS.ErrnoException) => {
        this.#child = null;
        if (error.code === 'ENOENT') {
          reject(
            new RtpengineNotInstalled(
              `Trunk calls need rtpengine (${this.#command} was not found): install Debian's rtpengine-daemon, or set RTPENGINE=host:port.`,
            ),
          );
        } else reject(error);
      });
      child.once('exit', (code, signal) => {
        if (this.#child === child) this.#child = null;
        if (this.#closing) return;
        const ran = Date.now() - startedAt;
        const last = this.#output.filter((line) => /^(EMERG|ALERT|CRIT|ERR|WARNING)/.test(line.level)).at(-1);
        const problem = `The media bridge (rtpengine) exited (${signal ?? `code ${code}`})${last ? `: ${last.text.replace(/\.$/, '')}` : ''}.`;
        this.#options.log.warn(`${problem} Starting it again.`);
        if (ran >= STEADY_RUN_MS) this.#delayMs = this.#options.restartDelayMs?.first ?? 500;
        this.#set({ state: 'restarting', restarts: this.#state.restarts + 1, problem });
        this.#restartTimer = setTimeout(() => {
          this.#restartTimer = undefined;
          this.#launch().catch((launchError: unknown) =>
            this.#options.log.error('The media bridge (rtpengine) could not be started again', launchError),
          );
        }, this.#delayMs);
        this.#delayMs = Math.min(this.#delayMs * 2, this.#options.restartDelayMs?.max ?? 30_000);
      });
    });
  }

  /** Pings over ng until this run of rtpengine answers, then says it runs. */
  async #watchUntilAnswering(child: ChildProcess): Promise<void> {
    const ng = this.#ng;
    while (ng && this.#child === child && !this.#closing) {
      const answer = await ng.request({ command: 'ping' }, 250).catch(() => null);
      if (answer?.result === 'pong' && this.#child === child && !this.#closing) {
        this.#set({ state: 'running' });
        this.#options.log.info(`Media bridge (rtpengine) answering on 127.0.0.1:${this.#ngPort}`);
        for (const waiter of this.#readyWaiters.splice(0)) waiter();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, PING_INTERVAL_MS));
    }
  }

  #set(change: Partial<SupervisedRtpengine>): void {
    this.#state = changedState(this.#state, change);
  }

  /** Stops rtpengine (SIGTERM, then SIGKILL after 3 s). */
  async close(): Promise<void> {
    this.#closing = true;
    if (this.#restartTimer !== undefined) clearTimeout(this.#restartTimer);
    for (const waiter of this.#readyWaiters.splice(0)) waiter();
    await stopDaemon(this.#child);
    this.#child = null;
    this.#ng?.close();
    process.removeListener('exit', this.#killOnExit);
  }
}
