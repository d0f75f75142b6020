import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '../log';
import { coturnConfig } from './coturn-config';
import type { RelayConfig } from './relay-config';
import { relayAnswers } from './stun-probe';
import { changedState, stopDaemon } from '../daemons/daemon-process';

type SpawnRelay = Extract<RelayConfig, { kind: 'spawn' }>;

export type SupervisedState = {
  state: 'starting' | 'running' | 'restarting';
  since: Date;
  restarts: number;
  problem: string | null;
};

export type CoturnSupervisorOptions = {
  relay: SpawnRelay;
  secret: string;
  realm: string;
  log: Logger;
  /** coturn's server binary (Debian's `coturn` package installs `turnserver`). */
  command?: string;
  /** Restart delays: the first, doubled after each quick exit up to the last. */
  restartDelayMs?: { first: number; max: number };
};

/** A run that lasted this long resets the restart delay. */
const STEADY_RUN_MS = 60_000;
const PROBE_INTERVAL_MS = 200;
const OUTPUT_LINES_KEPT = 20;

export class RelayNotInstalled extends Error {
  override name = 'RelayNotInstalled';
}

/**
 * Runs coturn as a child of this server: its configuration (holding the shared secret, readable
 * only by this user) in a temporary folder, in the foreground, restarted with a growing delay
 * when it exits, stopped (and the folder removed) by `close()` or when this process exits.
 */
export class CoturnSupervisor {
  readonly #options: CoturnSupervisorOptions;
  readonly #command: string;
  #dir: string | null = null;
  #child: ChildProcess | null = null;
  #closing = false;
  #state: SupervisedState = { state: 'starting', since: new Date(), restarts: 0, problem: null };
  #delayMs: number;
  #restartTimer: ReturnType<typeof setTimeout> | undefined;
  #output: string[] = [];
  readonly #killOnExit = () => this.#child?.kill('SIGKILL');

  constructor(options: CoturnSupervisorOptions) {
    this.#options = options;
    this.#command = options.command ?? 'turnserver';
    this.#delayMs = options.restartDelayMs?.first ?? 1_000;
  }

  /** The URL this server checks the relay at (a STUN Binding over UDP). */
  get probeUrl(): string {
    const ip = this.#options.relay.listenIp ?? '127.0.0.1';
    return `turn:${ip.includes(':') ? `[${ip}]` : ip}:${this.#options.relay.port}?transport=udp`;
  }

  /** coturn's process id while it runs. */
  get pid(): number | null {
    return this.#child?.pid ?? null;
  }

  status(): SupervisedState {
    return { ...this.#state };
  }

  /**
   * Writes the configuration and starts coturn; resolves once the process started (not once it
   * answers: `status()` says when). Rejects with RelayNotInstalled when there is no coturn.
   */
  async start(): Promise<void> {
    const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-relay-'));
    this.#dir = dir;
    const file = path.join(dir, 'turnserver.conf');
    const { relay, secret, realm } = this.#options;
    await writeFile(file, coturnConfig(relay, secret, realm, dir), { mode: 0o600 });
    await chmod(dir, 0o700);
    process.once('exit', this.#killOnExit);
    try {
      await this.#launch();
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  #launch(): Promise<void> {
    const dir = this.#dir;
    if (!dir || this.#closing) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const child = spawn(this.#command, ['-c', path.join(dir, 'turnserver.conf')], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      this.#child = child;
      const startedAt = Date.now();
      const keep = (chunk: Buffer) => {
        for (const line of chunk.toString('utf8').split('\n')) {
          const text = line.replace(/^\d+: (: )?/, '').trim();
          if (!text) continue;
          this.#output.push(text);
          this.#options.log.debug(`relay: ${text}`);
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
            new RelayNotInstalled(
              `TURN=spawn needs coturn (${this.#command} was not found): install the coturn package, or point TURN_URLS at an existing relay.`,
            ),
          );
        } else reject(error);
      });
      child.once('exit', (code, signal) => {
        if (this.#child === child) this.#child = null;
        if (this.#closing) return;
        const ran = Date.now() - startedAt;
        const last = this.#output.filter((line) => /error|cannot|fail/i.test(line)).at(-1);
        const problem = `The relay (coturn) exited (${signal ?? `code ${code}`})${last ? `: ${last}` : ''}.`;
        this.#options.log.warn(`${problem} Starting it again.`);
        if (ran >= STEADY_RUN_MS) this.#delayMs = this.#options.restartDelayMs?.first ?? 1_000;
        this.#set({ state: 'restarting', restarts: this.#state.restarts + 1, problem });
        this.#restartTimer = setTimeout(() => {
          this.#restartTimer = undefined;
          this.#launch().catch((launchError: unknown) =>
            this.#options.log.error('The relay could not be started again', launchError),
          );
        }, this.#delayMs);
        this.#delayMs = Math.min(this.#delayMs * 2, this.#options.restartDelayMs?.max ?? 30_000);
      });
    });
  }

  /** Polls with a STUN Binding until this run of coturn answers, then says it runs. */
  async #watchUntilAnswering(child: ChildProcess): Promise<void> {
    while (this.#child === child && !this.#closing) {
      if (await relayAnswers(this.probeUrl, 500)) {
        if (this.#child === child && !this.#closing) {
          this.#set({ state: 'running' });
          this.#options.log.info(`Relay (coturn) answering at ${this.probeUrl}`);
        }
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
    }
  }

  #set(change: Partial<SupervisedState>): void {
    this.#state = changedState(this.#state, change);
  }

  /** Stops coturn (SIGTERM, then SIGKILL after 3 s) and removes its folder. */
  async close(): Promise<void> {
    this.#closing = true;
    if (this.#restartTimer !== undefined) clearTimeout(this.#restartTimer);
    await stopDaemon(this.#child);
    this.#child = null;
    process.removeListener('exit', this.#killOnExit);
    if (this.#dir) await rm(this.#dir, { recursive: true, force: true });
    this.#dir = null;
  }
}
