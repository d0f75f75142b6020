import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { MediaBridgeError } from '../media-bridge';
import { bdecode, bencode } from './bencode';
import type { BencodeInput, BencodeValue } from './bencode';

/** An ng request: `command` and its parameters (rtpengine's names, e.g. `call-id`, `from-tag`). */
export type NgRequest = { command: string } & { [key: string]: BencodeInput | undefined };
/** An ng answer whose `result` was not `error`. */
export type NgResponse = { result: string } & { [key: string]: BencodeValue | undefined };

export type NgClientOptions = {
  host: string;
  port: number;
  /** Give up after this long (the request may have been lost each time it was sent). */
  timeoutMs?: number;
  /** When to send the request again, counted from the first send, while no answer came. */
  resendAfterMs?: number[];
};

/** rtpengine did not answer a request in time (it may be down, restarting or unreachable). */
export class NgTimeoutError extends MediaBridgeError {
  override name = 'NgTimeoutError';
}

type Pending = {
  command: string;
  resolve: (response: NgResponse) => void;
  reject: (error: Error) => void;
  timers: ReturnType<typeof setTimeout>[];
};

/**
 * A client of rtpengine's ng control protocol: bencoded dictionaries over UDP, each request
 * prefixed with a cookie that its answer repeats. A request unanswered is sent again with the same
 * cookie (rtpengine answers a repeated cookie from its cache, so an offer is never applied twice),
 * then fails after `timeoutMs`. Failures are MediaBridgeError sentences naming rtpengine's reason.
 */
export class NgClient {
  readonly #host: string;
  readonly #port: number;
  readonly #timeoutMs: number;
  readonly #resendAfterMs: number[];
  /** Random per client, so a restarted server never meets rtpengine's cached answers to old cookies. */
  readonly #cookiePrefix = randomBytes(6).toString('hex');
  #counter = 0;
  #socket: Socket | null = null;
  readonly #pending = new Map<string, Pending>();
  #closed = false;

  constructor(options: NgClientOptions) {
    this.#host = options.host;
    this.#port = options.port;
    this.#timeoutMs = options.timeoutMs ?? 3_000;
    this.#resendAfterMs = options.resendAfterMs ?? [400, 1_200];
  }

  /** Where requests go, as `host:port`. */
  get address(): string {
    return isIPv6(this.#host) ? `[${this.#host}]:${this.#port}` : `${this.#host}:${this.#port}`;
  }

  /**
   * Sends `request` and resolves with rtpengine's answer. Rejects with MediaBridgeError when
   * rtpengine answers `result: error`, or does not answer within the timeout.
   */
  request(request: NgRequest, timeoutMs = this.#timeoutMs): Promise<NgResponse> {
    if (this.#closed) return Promise.reject(new MediaBridgeError('The media bridge is shut down.'));
    const cookie = `${this.#cookiePrefix}${(this.#counter++).toString(36)}`;
    const packet = Buffer.concat([Buffer.from(`${cookie} `, 'ascii'), bencode(request)]);
    const socket = this.#open();
    return new Promise<NgResponse>((resolve, reject) => {
      const pending: Pending = { command: request.command, resolve, reject, timers: [] };
      this.#pending.set(cookie, pending);
      const send = () =>
        socket.send(packet, this.#port, this.#host, (error) => error && this.#fail(cookie, error));
      send();
      for (const delay of this.#resendAfterMs.filter((ms) => ms < timeoutMs))
        pending.timers.push(setTimeout(send, delay));
      pending.timers.push(
        setTimeout(
          () =>
            this.#fail(
              cookie,
              new NgTimeoutError(
                `The media bridge (rtpengine at ${this.address}) did not answer '${request.command}' within ${seconds(timeoutMs)}.`,
              ),
            ),
          timeoutMs,
        ),
      );
    });
  }

  #open(): Socket {
    if (this.#socket) return this.#socket;
    const socket = createSocket(isIPv6(this.#host) ? 'udp6' : 'udp4');
    socket.on('message', (message) => this.#receive(message));
    socket.on('error', (error) => {
      // A broken socket fails what waits on it; the next request opens a new one.
      if (this.#socket === socket) this.#socket = null;
      socket.close();
      for (const cookie of [...this.#pending.keys()]) this.#fail(cookie, error);
    });
    // Pending requests hold their timers; an idle client does not keep the process alive.
    socket.unref();
    this.#socket = socket;
    return socket;
  }

  #receive(message: Buffer): void {
    const space = message.indexOf(0x20);
    if (space < 0) return;
    const cookie = message.toString('ascii', 0, space);
    const pending = this.#pending.get(cookie);
    if (!pending) return; // a late answer to a request already answered (resent) or given up
    this.#settle(cookie);
    let body: BencodeValue;
    try {
      body = bdecode(message.subarray(space + 1));
    } catch (error) {
      pending.reject(
        new MediaBridgeError(
          `The media bridge (rtpengine at ${this.address}) answered '${pending.command}' with bytes that are not bencode: ${(error as Error).message}`,
        ),
      );
      return;
    }
    if (typeof body !== 'object' || Array.isArray(body) || typeof body.result !== 'string') {
      pending.reject(
        new MediaBridgeError(
          `The media bridge (rtpengine at ${this.address}) answered '${pending.command}' without a result.`,
        ),
      );
      return;
    }
    if (body.result === 'error') {
      const given = body['error-reason'];
      const reason =
        typeof given === 'string' && given.trim() ? given.trim().replace(/\.$/, '') : 'no reason given';
      pending.reject(
        new MediaBridgeError(`The media bridge (rtpengine) refused '${pending.command}': ${reason}.`),
      );
      return;
    }
    pending.resolve(body as NgResponse);
  }

  #settle(cookie: string): Pending | undefined {
    const pending = this.#pending.get(cookie);
    if (!pending) return undefined;
    this.#pending.delete(cookie);
    for (const timer of pending.timers) clearTimeout(timer);
    return pending;
  }

  #fail(cookie: string, error: Error): void {
    const pending = this.#settle(cookie);
    if (!pending) return;
    pending.reject(
      error instanceof MediaBridgeError
        ? error
        : new MediaBridgeError(
            `The media bridge (rtpengine at ${this.address}) could not be reached for '${pending.command}': ${error.message}.`,
          ),
    );
  }

  /** Fails what is pending and closes the socket. */
  close(): void {
    this.#closed = true;
    for (const cookie of [...this.#pending.keys()])
      this.#fail(cookie, new MediaBridgeError('The media bridge is shut down.'));
    this.#socket?.close();
    this.#socket = null;
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
