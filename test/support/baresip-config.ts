import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MODULES } from './baresip-install';

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

/** What the options come to once defaults are applied and ports are chosen. */
export type CarrierSetup = {
  numbers: CarrierNumber[];
  toneHz: number;
  address: string;
  domain: string;
  sipPort: number;
  controlPort: number;
  /** baresip's modules folder (see baresip-install.ts). */
  modules: string;
};

/**
 * Writes the carrier's baresip folder: `config` (its SIP and control ports, the tone as its
 * microphone, recordings into `audio/`), one `accounts` line per number, and an empty `contacts`.
 */
export async function writeCarrierFolder(
  folder: string,
  options: BaresipCarrierOptions,
  setup: CarrierSetup,
): Promise<void> {
  const { address, sipPort, controlPort, toneHz, modules, domain } = setup;
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
  const accounts = setup.numbers.map(
    ({ number, answer }) =>
      `<sip:${number}@${domain}>;regint=${options.registerSeconds ?? 0};answermode=${answer === 'auto' ? 'auto' : 'manual'};audio_codecs=${codecs}${auth}`,
  );
  await writeFile(path.join(folder, 'config'), `${config.join('\n')}\n`);
  await writeFile(path.join(folder, 'accounts'), `${accounts.join('\n')}\n`);
  await writeFile(path.join(folder, 'contacts'), '');
  await mkdir(path.join(folder, 'audio'));
}
