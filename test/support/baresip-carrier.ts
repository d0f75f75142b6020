import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  writeCarrierFolder,
  type AnswerMode,
  type BaresipCarrierOptions,
  type CarrierNumber,
} from './baresip-config';
import { BaresipControl, type BaresipEvent, type CallEventType } from './baresip-control';
import { findBaresip } from './baresip-install';
import { freeSipPort, releaseSipPort } from './free-sip-port';
import { audibleTones } from './phone-page';
import type { Spectrum } from './phone-page';
import { wavSpectrum } from './wav-spectrum';

// A carrier for trunk tests, played by baresip (Debian's baresip-core): a SIP user agent on a
// free UDP/TCP port of 127.0.0.1, one local account per number it answers (no registration),
// a sine tone as its microphone (ausine), what it receives recorded as WAV (sndfile), driven
// through ctrl_tcp (netstring JSON: commands in, responses and events out; baresip-control.ts).
// baresip-config.ts writes its config folder; baresip-install.ts finds it.

export type { AnswerMode, BaresipCarrierOptions, CarrierNumber } from './baresip-config';
export type { BaresipEvent, CallEventType } from './baresip-control';
export { baresipUnavailable } from './baresip-install';

const STOP_TIMEOUT_MS = 5_000;
const OUTPUT_LIMIT = 256 * 1024;

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
  /** Calls not yet closed, by Call-ID: the account (user agent) each is on, and whether it rings. */
  readonly #open = new Map<string, { aor: string; ringing: boolean }>();
  readonly #control = new BaresipControl((event) => this.#event(event));
  #output = '';
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
    const { binary, modules } = findBaresip();
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
    await writeCarrierFolder(folder, options, {
      numbers,
      toneHz,
      address,
      domain,
      sipPort,
      controlPort,
      modules,
    });

    const prefix = options.namespace?.exec ?? [];
    const [command, ...args] = [...prefix, binary, '-f', folder];
    const child = spawn(command ?? binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const carrier = new BaresipCarrier(child, folder, sipPort, controlPort, numbers, toneHz, domain, address);
    try {
      const reachable = options.namespace ? await options.namespace.forward(controlPort) : controlPort;
      await carrier.#control.connect(reachable, carrier.#exited, () => carrier.#output);
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
  command(command: string, params?: string, timeoutMs = 5_000): Promise<string> {
    return this.#control.command(command, params, timeoutMs);
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
    this.#control.close();
    if (this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.#exited;
      clearTimeout(timer);
    }
    releaseSipPort(this.sipPort);
    releaseSipPort(this.controlPort);
    await rm(this.folder, { recursive: true, force: true });
  }
}
