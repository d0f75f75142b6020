import { connect } from 'node:net';
import type { Socket } from 'node:net';

const START_TIMEOUT_MS = 10_000;

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

/**
 * The connection to baresip's ctrl_tcp: netstring JSON, commands in (each with a token its
 * response carries back), responses and events out. Events go to `onEvent`.
 */
export class BaresipControl {
  readonly #pending = new Map<string, (response: Response) => void>();
  #socket: Socket | null = null;
  #buffer = Buffer.alloc(0);
  #tokens = 0;

  constructor(private readonly onEvent: (event: BaresipEvent) => void) {}

  /**
   * Connects to the control port, trying again until baresip answers a command or `exited`
   * settles; throws after 10 s with baresip's `output()`.
   */
  async connect(port: number, exited: Promise<void>, output: () => string): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let running = true;
    void exited.then(() => (running = false));
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
      `baresip did not open its control port within ${START_TIMEOUT_MS} ms${running ? '' : ' (it exited)'}; its output:\n${output()}`,
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
        this.onEvent(message as unknown as BaresipEvent);
      }
    }
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

  /** Closes the connection (baresip itself keeps running). */
  close(): void {
    this.#socket?.destroy();
    this.#socket = null;
  }
}
