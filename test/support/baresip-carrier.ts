import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { audibleTones } from './phone-page';
import type { Spectrum } from './phone-page';
import { wavSpectrum } from './wav-spectrum';

// A carrier for trunk tests, played by baresip (Debian's baresip-core): a SIP user agent on a
// free UDP/TCP port of 127.0.0.1, one local account per number it answers (no registration),
// a sine tone as its microphone (ausine), what it receives recorded as WAV (sndfile), driven
// through ctrl_tcp (netstring JSON: commands in, responses and events out).

/** Modules the carrier loads; all ship in baresip-core. */
const MODULES = ['g711', 'ausine', 'sndfile', 'account', 'menu', 'ctrl_tcp'] as const;
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const OUTPUT_LIMIT = 256 * 1024;

/** How the carrier treats a call to one of its numbers. */
export type AnswerMode =
  /** answers at once with 200 and its tone */
  | 'auto'
  /** rings (180) until the test calls `answer()` or `hangup()` (the latter refuses with 486) */
  | 'manual'
  /** rings, then refuses with `486 Rejected` (baresip cannot send another code: see RawSipCarrier) */
  | 'reject';

export type CarrierNumber = { number: string; answer?: AnswerMode };

export type BaresipCarrierOptions = {
  /** The user parts it answers, e.g. `'+4930123'`; each is one account. Calls to others get 404. */
  numbers: (string | CarrierNumber)[];
  /** The sine its microphone plays (Hz, 10–20000); default 440. */
  toneHz?: number;
  /** For numbers without their own mode; default `'auto'`. */
  answer?: AnswerMode;
  /** Codecs offered and accepted, in order; default PCMU then PCMA. */
  codecs?: ('pcmu' | 'pcma')[];
  /**
   * The loopback address it listens on for SIP and media; default 127.0.0.1. Another one (e.g.
   * 127.0.0.2, on lo inside a namespace) keeps it apart from phones on 127.0.0.1, since a trunk's
   * IP authentication takes every request from its address for the trunk's.
   */
  address?: string;
  /** Its accounts' domain (From of the calls it makes, and its registrar); default `address`. */
  domain?: string;
  /**
   * Registers each number with `domain` (a `host:port`) every this many seconds; default 0 (never).
   * The first REGISTER goes out before the control connection, so its events are not seen: check
   * the registrar's side.
   */
  registerSeconds?: number;
  /** Digest credentials it answers challenges with (a server that asks the carrier to authenticate). */
  auth?: { username: string; password: string };
  /** More calls than this at once on one number get `486 Max Calls`; default 4. */
  maxCalls?: number;
  /**
   * Runs baresip inside a network namespace: the command prefix (e.g. `ns.exec`) and a way to reach
   * its control port from here (e.g. `ns.forward`). See loopback-namespace.ts.
   */
  namespace?: { exec: readonly string[]; forward(port: number): Promise<number> };
};

/** A ctrl_tcp event, e.g. `{ type: 'CALL_ESTABLISHED', direction: 'incoming', peeruri, id }`. */
export type BaresipEvent = {
  type: string;
  class: string;
  accountaor?: string;
  direction?: 'incoming' | 'outgoing';
  peeruri?: string;
  /** The SIP Call-ID of the call the event is about. */
  id?: string;
  param?: string;
};

/** Event types the trunk tests wait for (baresip 1.0 names). */
export type CallEventType =
  | 'CALL_INCOMING'
  | 'CALL_RINGING'
  | 'CALL_PROGRESS'
  | 'CALL_ESTABLISHED'
  | 'CALL_CLOSED'
  | 'CALL_DTMF_START'
  | 'CALL_DTMF_END'
  | 'CALL_RTPESTAB';

type Response = { ok: boolean; data: string };

/** baresip's modules folder, found next to its binary (its own default) or under a lib folder. */
function modulesFolder(binary: string): string | null {
  const prefix = path.dirname(path.dirname(realpathSync(binary)));
  const candidates = [path.join(prefix, 'lib', 'baresip', 'modules')];
  const lib = path.join(prefix, 'lib');
  try {
    for (const entry of execFileSync('ls', [lib], { encoding: 'utf8' }).split('\n'))
      if (entry.includes('-linux-')) candidates.push(path.join(lib, entry, 'baresip', 'modules'));
  } catch {
    // no lib folder: only the first candidate
  }
  return (
    candidates.find((folder) => MODULES.every((name) => existsSync(path.join(folder, `${name}.so`)))) ?? null
  );
}

function baresipBinary(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v baresip'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** Why a baresip carrier cannot run here, as one sentence, or null when it can. */
export function baresipUnavailable(): string | null {
  const binary = baresipBinary();
  if (!binary) return 'The carrier tests need baresip (apt-get install baresip-core).';
  if (!modulesFolder(binary))
    return `The carrier tests need baresip's modules ${MODULES.join(', ')} (apt-get install baresip-core).`;
  return null;
}

const handedOut = new Set<number>();

/** A port free for both UDP and TCP on 127.0.0.1 (SIP listens on both), not handed out before. */
export async function freeSipPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const udp = createSocket('udp4');
    const port = await new Promise<number>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, '127.0.0.1', () => resolve(udp.address().port));
    });
    const tcpFree = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    udp.close();
    if (tcpFree && !handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('Could not find a port free for both UDP and TCP on 127.0.0.1.');
}

/**
 * One baresip process playing a carrier. Start it with `BaresipCarrier.start`, end it with `close()`
 * (which leaves no process and deletes its folder).
 */
export class BaresipCarrier {
  /** Every event so far, in order. */
  readonly events: BaresipEvent[] = [];
  readonly #waiters: { match: (event: BaresipEvent) => boolean; resolve: (event: BaresipEvent) => void }[] =
    [];
  readonly #unclaimed: BaresipEvent[] = [];
  readonly #pending = new Map<string, (response: Response) => void>();
  /** Calls not yet closed, by Call-ID: the account (user agent) each is on, and whether it rings. */
  readonly #open = new Map<string, { aor: string; ringing: boolean }>();
  #output = '';
  #socket: Socket | null = null;
  #buffer = Buffer.alloc(0);
  #tokens = 0;
  #exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    /** Its config folder (config, accounts, and the recordings in `audio/`). */
    readonly folder: string,
    /** The SIP port it listens on (UDP and TCP) on `address`. */
    readonly sipPort: number,
    private readonly controlPort: number,
    readonly numbers: readonly CarrierNumber[],
    readonly toneHz: number,
    private readonly domain: string,
    /** The address it listens on (SIP and media). */
    readonly address: string,
  ) {
    this.#exited = new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (error) => {
        this.#output += `\n${error.message}`;
        resolve();
      });
    });
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString()).slice(-OUTPUT_LIMIT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static async start(options: BaresipCarrierOptions): Promise<BaresipCarrier> {
    const binary = baresipBinary();
    const modules = binary ? modulesFolder(binary) : null;
    if (!binary || !modules) throw new Error(baresipUnavailable() ?? 'baresip is missing.');
    if (options.numbers.length === 0) throw new Error('A carrier needs at least one number to answer.');
    const numbers = options.numbers.map((entry) =>
      typeof entry === 'string' ? { number: entry, answer: options.answer ?? 'auto' } : entry,
    );
    const toneHz = options.toneHz ?? 440;
    const address = options.address ?? '127.0.0.1';
    const domain = options.domain ?? address;
    const folder = await mkdtemp(path.join(tmpdir(), 'switchboard-carrier-'));
    const sipPort = await freeSipPort();
    const controlPort = await freeSipPort();
    const codecs = (options.codecs ?? ['pcmu', 'pcma']).join(',');
    const config = [
      `sip_listen ${address}:${sipPort}`,
      `net_interface ${address}`,
      `call_max_calls ${options.maxCalls ?? 4}`,
      'call_local_timeout 120',
      // ausine plays only 48 kHz stereo; baresip resamples to the codec's rate.
      `audio_source ausine,${toneHz}`,
      'ausrc_srate 48000',
      'ausrc_channels 2',
      'audio_buffer 20-160',
      `module_path ${modules}`,
      ...MODULES.filter((name) => name !== 'account' && name !== 'menu' && name !== 'ctrl_tcp').map(
        (name) => `module ${name}.so`,
      ),
      'module_tmp account.so',
      'module_app menu.so',
      'module_app ctrl_tcp.so',
      `ctrl_tcp_listen 127.0.0.1:${controlPort}`,
      `snd_path ${path.join(folder, 'audio')}`,
    ];
    const auth = options.auth ? `;auth_user=${options.auth.username};auth_pass=${options.auth.password}` : '';
    const accounts = numbers.map(
      ({ number, answer }) =>
        `<sip:${number}@${domain}>;regint=${options.registerSeconds ?? 0};answermode=${answer === 'auto' ? 'auto' : 'manual'};audio_codecs=${codecs}${auth}`,
    );
    await writeFile(path.join(folder, 'config'), `${config.join('\n')}\n`);
    await writeFile(path.join(folder, 'accounts'), `${accounts.join('\n')}\n`);
    await writeFile(path.join(folder, 'contacts'), '');
    await mkdir(path.join(folder, 'audio'));

    const prefix = options.namespace?.exec ?? [];
    const [command, ...args] = [...prefix, binary, '-f', folder];
    const child = spawn(command ?? binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const carrier = new BaresipCarrier(child, folder, sipPort, controlPort, numbers, toneHz, domain, address);
    try {
      const reachable = options.namespace ? await options.namespace.forward(controlPort) : controlPort;
      await carrier.#connect(reachable);
    } catch (error) {
      await carrier.close();
      throw error;
    }
    return carrier;
  }

  /** The SIP URI of one of its numbers (the first by default), as a trunk would reach it. */
  uri(number = this.numbers[0]?.number ?? ''): string {
    return `sip:${number}@${this.address}:${this.sipPort}`;
  }

  /** `<address>:<sipPort>`, where a trunk sends to. */
  get hostPort(): string {
    return `${this.address}:${this.sipPort}`;
  }

  /** baresip's process id (gone after `close()`). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Everything baresip printed (its log), for a failing test's message. */
  output(): string {
    return this.#output;
  }

  async #connect(port: number): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let running = true;
    void this.#exited.then(() => (running = false));
    while (Date.now() < deadline && running) {
      const socket = await new Promise<Socket | null>((resolve) => {
        const attempt = connect(port, '127.0.0.1');
        attempt.once('connect', () => resolve(attempt));
        attempt.once('error', () => resolve(null));
      });
      if (socket) {
        this.#socket = socket;
        this.#buffer = Buffer.alloc(0);
        socket.on('data', (chunk: Buffer) => this.#receive(chunk));
        socket.on('error', () => undefined);
        // A command answered proves baresip itself is there (not only a forwarder in front of it).
        // ctrl_tcp is loaded after the accounts, so they are in place too.
        if (
          await this.command('reginfo', undefined, 1_000).then(
            () => true,
            () => false,
          )
        )
          return;
        socket.destroy();
        this.#socket = null;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(
      `baresip did not open its control port within ${START_TIMEOUT_MS} ms${running ? '' : ' (it exited)'}; its output:\n${this.#output}`,
    );
  }

  /** Netstrings: `<length>:<json>,`. */
  #receive(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const colon = this.#buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.#buffer.subarray(0, colon).toString());
      if (this.#buffer.length < colon + length + 2) return;
      const text = this.#buffer.subarray(colon + 1, colon + 1 + length).toString();
      this.#buffer = this.#buffer.subarray(colon + length + 2);
      const message = JSON.parse(text) as Record<string, unknown>;
      if (message.response === true) {
        const token = String(message.token ?? '');
        this.#pending.get(token)?.({ ok: message.ok === true, data: String(message.data ?? '') });
        this.#pending.delete(token);
      } else if (message.event === true) {
        this.#event(message as unknown as BaresipEvent);
      }
    }
  }

  #event(event: BaresipEvent): void {
    this.events.push(event);
    if (event.id && event.accountaor) {
      if (event.type === 'CALL_CLOSED') this.#open.delete(event.id);
      else if (event.class === 'call')
        this.#open.set(event.id, { aor: event.accountaor, ringing: event.type === 'CALL_INCOMING' });
    }
    if (event.type === 'CALL_INCOMING' && this.#modeOf(event.accountaor) === 'reject') {
      // Hanging up a ringing call refuses it with 486.
      void this.hangup(event.id).catch(() => undefined);
    }
    const index = this.#waiters.findIndex((waiter) => waiter.match(event));
    if (index >= 0) this.#waiters.splice(index, 1)[0]?.resolve(event);
    else this.#unclaimed.push(event);
  }

  #modeOf(aor: string | undefined): AnswerMode | undefined {
    const user = /^sip:([^@]+)@/.exec(aor ?? '')?.[1];
    return this.numbers.find((entry) => entry.number === user)?.answer;
  }

  /** Sends one ctrl_tcp command (a baresip menu command, e.g. `dial`, `accept`, `hangup`). */
  async command(command: string, params?: string, timeoutMs = 5_000): Promise<string> {
    const socket = this.#socket;
    if (!socket) throw new Error('The carrier is not connected to baresip.');
    this.#tokens += 1;
    const token = `t${this.#tokens}`;
    const text = JSON.stringify({ command, ...(params === undefined ? {} : { params }), token });
    const response = await new Promise<Response>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(token);
        reject(new Error(`baresip did not answer the command "${command}" within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.#pending.set(token, (answer) => (clearTimeout(timer), resolve(answer)));
      socket.write(`${Buffer.byteLength(text)}:${text},`);
    });
    if (!response.ok)
      throw new Error(`baresip refused "${command} ${params ?? ''}": ${response.data || 'no reason given'}`);
    return response.data;
  }

  /**
   * Calls `uri` (e.g. the trunk's `sip:+4930123@127.0.0.1:5060`) from one of its numbers (the
   * first by default). Resolves once baresip sent the INVITE; wait for `CALL_ESTABLISHED` or
   * `CALL_CLOSED` to learn how it went.
   */
  async dial(uri: string, from = this.numbers[0]?.number ?? ''): Promise<void> {
    await this.command('uafind', `sip:${from}@${this.domain}`);
    await this.command('dial', uri);
  }

  /**
   * Makes the account `callId` is on (or the newest open call's, or the ringing one's) baresip's
   * current user agent: its menu commands (`accept`, `hangup`) act on the current user agent's
   * call, and only a call that rings in or one it dials moves that, not one answered on its own.
   */
  async #select(callId?: string, ringing = false): Promise<void> {
    const calls = [...this.#open.entries()].filter(([, call]) => !ringing || call.ringing);
    const call = callId === undefined ? calls.at(-1)?.[1] : this.#open.get(callId);
    if (call) await this.command('uafind', call.aor);
  }

  /** Answers the ringing call (numbers in `'manual'` mode). */
  async answer(): Promise<void> {
    await this.#select(undefined, true);
    await this.command('accept');
  }

  /**
   * Ends a call (`callId`, or its newest): BYE when answered, CANCEL when calling out, 486 when
   * ringing in.
   */
  async hangup(callId?: string): Promise<void> {
    await this.#select(callId);
    await this.command('hangup');
  }

  /** Sends DTMF on its current call as RFC 4733 events, one key at a time with `gapMs` between. */
  async sendDtmf(keys: string, gapMs = 250): Promise<void> {
    for (const key of keys) {
      await this.command('sndcode', key);
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
  }

  /**
   * The next event of `type` not yet returned by an earlier `waitFor` (past or future), optionally
   * matching `match` too; throws after `timeoutMs` with the events seen.
   */
  waitFor(
    type: CallEventType | string,
    match: (event: BaresipEvent) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<BaresipEvent> {
    const wanted = (event: BaresipEvent) => event.type === type && match(event);
    const index = this.#unclaimed.findIndex(wanted);
    if (index >= 0) {
      const [event] = this.#unclaimed.splice(index, 1);
      if (event) return Promise.resolve(event);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        match: wanted,
        resolve: (event: BaresipEvent) => (clearTimeout(timer), resolve(event)),
      };
      const timer = setTimeout(() => {
        const at = this.#waiters.indexOf(waiter);
        if (at >= 0) this.#waiters.splice(at, 1);
        const seen = this.events.map((event) => `${event.type}${event.param ? ` (${event.param})` : ''}`);
        reject(
          new Error(
            `The carrier saw no ${type} within ${timeoutMs} ms; it saw: ${seen.join(', ') || 'nothing'}.`,
          ),
        );
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** The DTMF keys it received so far (RFC 4733 or SIP INFO), in order, on one call or on all. */
  dtmfReceived(callId?: string): string {
    return this.events
      .filter((event) => event.type === 'CALL_DTMF_START' && (!callId || event.id === callId))
      .map((event) => event.param ?? '')
      .join('');
  }

  /**
   * The WAV of what it received on its newest call (sndfile's `dump-<time>-dec.wav`), or null
   * before any call had audio. Names have one-second resolution: two calls set up in the same
   * second share a file.
   */
  async receivedAudioWav(): Promise<string | null> {
    const audio = path.join(this.folder, 'audio');
    // dump-YYYY-MM-DD-HH-MM-SS-dec.wav: the newest sorts last.
    const newest = (await readdir(audio))
      .filter((name) => name.endsWith('-dec.wav'))
      .sort()
      .at(-1);
    return newest ? path.join(audio, newest) : null;
  }

  /** The spectrum of the last `seconds` it received (see wav-spectrum.ts). */
  async receivedSpectrum(frequencies: readonly number[], seconds = 1): Promise<Spectrum> {
    const file = await this.receivedAudioWav();
    if (!file) return { levels: Object.fromEntries(frequencies.map((hz) => [hz, -Infinity])), floor: 0 };
    return wavSpectrum(file, frequencies, seconds);
  }

  /**
   * Polls what it receives until exactly `expected` of `tones` stand out (see `audibleTones`):
   * `[]` for silence. Returns the spectrum, or throws with the last one.
   */
  async untilHearsExactly(
    tones: readonly number[],
    expected: readonly number[],
    timeoutMs = 10_000,
  ): Promise<Spectrum> {
    const deadline = Date.now() + timeoutMs;
    let last: Spectrum;
    let got: number[];
    do {
      last = await this.receivedSpectrum(tones);
      got = audibleTones(last, tones);
      if (got.length === expected.length && expected.every((hz) => got.includes(hz))) return last;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } while (Date.now() < deadline);
    throw new Error(
      `Expected the carrier to hear exactly [${expected.join(', ')}] Hz of [${tones.join(', ')}], heard [${got.join(', ')}]; last: ${JSON.stringify(last)}`,
    );
  }

  /** Stops baresip (SIGTERM: it hangs up its calls; SIGKILL after 5 s) and deletes its folder. */
  async close(): Promise<void> {
    this.#socket?.destroy();
    this.#socket = null;
    if (this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.#exited;
      clearTimeout(timer);
    }
    handedOut.delete(this.sipPort);
    handedOut.delete(this.controlPort);
    await rm(this.folder, { recursive: true, force: true });
  }
}
