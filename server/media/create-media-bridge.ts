import type { Config } from '../config';
import type { Logger } from '../log';
import { MediaBridgeError } from './media-bridge';
import type { MediaBridge, MediaBridgeStatus } from './media-bridge';
import { defaultMediaInterface } from './rtpengine/media-interface';
import { NgClient } from './rtpengine/ng-client';
import { RtpengineBridge } from './rtpengine/rtpengine-bridge';
import type { RtpengineBackend } from './rtpengine/rtpengine-bridge';
import type { RtpengineConfig } from './rtpengine/rtpengine-config';
import { RtpengineNotInstalled, RtpengineSupervisor } from './rtpengine/rtpengine-supervisor';

/** How long an offer or answer waits for rtpengine to answer its first ping (start or restart). */
const READY_WAIT_MS = 3_000;
/** How often an existing rtpengine is pinged for `status()`. */
const EXTERNAL_PING_MS = 5_000;
/** Before the first `start()`: said on the Trunks screen after "Trunk calls cannot have audio yet." */
const NOT_STARTED =
  'The media bridge (rtpengine) starts with the first trunk call (or with the server, when it starts with a trunk configured).';
const SHUT_DOWN = 'The media bridge is shut down';

export type MediaBridgeOptions = {
  /** Supervisor restart delays (tests shorten them). */
  restartDelayMs?: { first: number; max: number };
  /** The spawned rtpengine's ng port on 127.0.0.1; by default a free one. */
  ngPort?: number;
};

/**
 * No rtpengine (none configured here, or an edge built without one): trunk calls are refused with
 * `problem`; the rest of the product is unaffected.
 */
export function offBridge(problem: string): MediaBridge {
  const refuse = () => Promise.reject(new MediaBridgeError(`${problem}.`));
  return {
    start: () => undefined,
    status: () => ({ state: 'off', problem }),
    offer: refuse,
    answer: refuse,
    delete: () => Promise.resolve(),
    list: () => Promise.resolve([]),
    close: () => Promise.resolve(),
  };
}

/** rtpengine run by this server (RTPENGINE=spawn): started by the first `start()`, supervised. */
function spawnedBackend(
  config: Config,
  rtpengine: RtpengineConfig,
  command: string,
  log: Logger,
  options: MediaBridgeOptions,
): RtpengineBackend {
  let supervisor: RtpengineSupervisor | null = null;
  let starting: Promise<void> | null = null;
  let failed: string | null = null;
  let closed = false;
  const start = (): Promise<void> => {
    if (closed) return Promise.resolve();
    starting ??= (async () => {
      const media =
        rtpengine.interface ?? (await defaultMediaInterface(config.host, config.sipAdvertisedHost));
      if (closed) return;
      supervisor = new RtpengineSupervisor({
        interface: media,
        ports: rtpengine.ports,
        log,
        command,
        ...options,
      });
      const shown = media.advertised ? `${media.local} (advertised as ${media.advertised})` : media.local;
      log.info(
        `Media bridge (rtpengine): media on ${shown}, ports ${rtpengine.ports.min}-${rtpengine.ports.max}`,
      );
      await supervisor.start();
    })().catch((error: unknown) => {
      supervisor = null;
      failed =
        error instanceof RtpengineNotInstalled
          ? error.message.replace(/\.$/, '')
          : `The media bridge (rtpengine) could not be started: ${(error as Error).message.replace(/\.$/, '')}`;
      log.error(failed);
    });
    return starting;
  };
  return {
    start: () => void start(),
    status(): MediaBridgeStatus {
      if (closed) return { state: 'off', problem: SHUT_DOWN };
      if (failed !== null) return { state: 'off', problem: failed };
      if (!supervisor)
        return starting ? { state: 'starting', problem: null } : { state: 'off', problem: NOT_STARTED };
      const supervised = supervisor.status();
      return supervised.state === 'running'
        ? { state: 'running', since: supervised.since.toISOString() }
        : { state: supervised.state, problem: supervised.problem };
    },
    async ready() {
      await start();
      const running = supervisor;
      if (closed) throw new MediaBridgeError(`${SHUT_DOWN}.`);
      if (failed !== null || !running) throw new MediaBridgeError(`${failed ?? SHUT_DOWN}.`);
      if (await running.whenRunning(READY_WAIT_MS)) return running.ng;
      const problem = running.status().problem;
      throw new MediaBridgeError(
        problem ??
          `The media bridge (rtpengine) did not answer within ${READY_WAIT_MS / 1000} s of starting.`,
      );
    },
    // An exit is seen by the supervisor; a hung rtpengine shows in the failed requests themselves.
    unanswered: () => undefined,
    async close() {
      closed = true;
      await starting;
      await supervisor?.close();
    },
  };
}

/** An existing rtpengine (RTPENGINE=host:port): pinged now and then for `status()`. */
function externalBackend(host: string, port: number, log: Logger): RtpengineBackend {
  const ng = new NgClient({ host, port });
  let timer: ReturnType<typeof setInterval> | undefined;
  let state: MediaBridgeStatus = { state: 'off', problem: NOT_STARTED };
  const unanswered = (problem: string) => {
    if (state.state === 'running') log.warn(problem);
    state = { state: state.state === 'running' ? 'restarting' : 'starting', problem };
  };
  const ping = async (): Promise<boolean> => {
    try {
      await ng.request({ command: 'ping' }, 2_000);
      if (state.state !== 'running') {
        state = { state: 'running', since: new Date().toISOString() };
        log.info(`Media bridge (rtpengine at ${ng.address}) answering`);
      }
      return true;
    } catch (error) {
      unanswered((error as Error).message);
      return false;
    }
  };
  const start = () => {
    if (timer !== undefined) return;
    state = { state: 'starting', problem: null };
    void ping();
    timer = setInterval(() => void ping(), EXTERNAL_PING_MS);
    timer.unref();
  };
  return {
    start,
    status: () => state,
    unanswered: (error) => unanswered(error.message),
    async ready() {
      start();
      if (state.state === 'running' || (await ping())) return ng;
      throw new MediaBridgeError(
        state.state === 'off' ? state.problem : (state.problem ?? 'rtpengine does not answer.'),
      );
    },
    close() {
      clearInterval(timer);
      ng.close();
      return Promise.resolve();
    },
  };
}

/**
 * The media bridge the configuration asks for, started by the first `start()` (the edge calls it at
 * listen() when a trunk is configured, and on each trunk call): rtpengine run here
 * (RTPENGINE=spawn, the default when it is installed), an existing one (RTPENGINE=host:port), or
 * none, whose offers and answers are refused with a sentence saying what to install.
 */
export function createMediaBridge(
  config: Config,
  log: Logger,
  options: MediaBridgeOptions = {},
): MediaBridge {
  const { rtpengine } = config;
  switch (rtpengine.mode.kind) {
    case 'off':
      return offBridge(rtpengine.mode.problem);
    case 'external':
      return new RtpengineBridge(externalBackend(rtpengine.mode.host, rtpengine.mode.port, log), log);
    case 'spawn':
      return new RtpengineBridge(
        spawnedBackend(config, rtpengine, rtpengine.mode.command, log, options),
        log,
      );
  }
}
