import { createHash, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { parseMessage } from '../../server/sip/message/parse-message';
import type { SipRequest } from '../../server/sip/message/sip-message';

// What baresip cannot play: a carrier's registrar that challenges (401) and records REGISTERs,
// a front that asks INVITEs for credentials (407), and refusals with any code (503, 404, 403 …).
// Raw SIP over UDP on 127.0.0.1, stateless but for the nonces: each request is answered from
// itself, a retransmission the same way. The digest check is written here, not borrowed from
// the server, so the server's digest code cannot agree with itself.

export type DigestCredentials = { realm: string; username: string; password: string };

export type RawSipCarrierOptions = {
  /** Challenge REGISTER (401) and INVITE (407) until they carry a right digest for these. */
  credentials?: DigestCredentials;
  /** The final answer to an INVITE that passed (default `503 Service Unavailable`). */
  inviteResponse?: { status: number; reason: string; headers?: [string, string][] };
  /** Seconds granted to a registration (default: what the REGISTER asked, else 3600). */
  registerExpires?: number;
};

/** One request it received, and what it made of it. */
export type ReceivedRequest = {
  request: SipRequest;
  /** Where it came from (`address:port`). */
  source: string;
  /**
   * The digest: `'none'` (no Authorization / Proxy-Authorization), `'valid'`, or `'invalid'`
   * (wrong user, realm, nonce or response). Without `credentials` always `'none'`.
   */
  digest: 'none' | 'valid' | 'invalid';
  /** The status it answered with (ACK: 0). */
  answered: number;
};

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** `key=value` and `key="value"` pairs of a Digest header. */
function digestParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [, key, quoted, bare] of header
    .replace(/^\s*Digest\s+/i, '')
    .matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g))
    if (key) params[key.toLowerCase()] = quoted ?? bare ?? '';
  return params;
}

export class RawSipCarrier {
  /** Every request, in order of arrival. */
  readonly received: ReceivedRequest[] = [];
  /** Change between calls to refuse differently. */
  inviteResponse: { status: number; reason: string; headers?: [string, string][] };
  readonly #nonces = new Set<string>();
  readonly #waiters: { method: string; resolve: (entry: ReceivedRequest) => void }[] = [];
  readonly #claimed = new Set<ReceivedRequest>();

  private constructor(
    private readonly socket: Socket,
    readonly port: number,
    private readonly options: RawSipCarrierOptions,
  ) {
    this.inviteResponse = options.inviteResponse ?? { status: 503, reason: 'Service Unavailable' };
    socket.on('message', (data, from) => this.#receive(data, `${from.address}:${from.port}`));
  }

  static async start(options: RawSipCarrierOptions = {}): Promise<RawSipCarrier> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve());
    });
    return new RawSipCarrier(socket, socket.address().port, options);
  }

  /** `127.0.0.1:<port>`, where a trunk sends. */
  get hostPort(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The REGISTERs so far. */
  get registers(): ReceivedRequest[] {
    return this.received.filter((entry) => entry.request.method === 'REGISTER');
  }

  /** The INVITEs so far (retransmissions included). */
  get invites(): ReceivedRequest[] {
    return this.received.filter((entry) => entry.request.method === 'INVITE');
  }

  /**
   * The next request of `method` not yet returned by an earlier `waitFor` (past or future);
   * throws after `timeoutMs` with the methods seen.
   */
  waitFor(method: string, timeoutMs = 10_000): Promise<ReceivedRequest> {
    const entry = this.received.find((e) => e.request.method === method && !this.#claimed.has(e));
    if (entry) {
      this.#claimed.add(entry);
      return Promise.resolve(entry);
    }
    return new Promise((resolve, reject) => {
      const waiter = { method, resolve: (e: ReceivedRequest) => (clearTimeout(timer), resolve(e)) };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        const seen = this.received.map((e) => `${e.request.method} → ${e.answered}`);
        reject(
          new Error(
            `The carrier got no ${method} within ${timeoutMs} ms; it got: ${seen.join(', ') || 'nothing'}.`,
          ),
        );
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  #receive(data: Buffer, source: string): void {
    const parsed = parseMessage(data);
    if (!parsed.ok || parsed.message.kind !== 'request') return;
    const request = parsed.message;
    const entry: ReceivedRequest = { request, source, digest: 'none', answered: 0 };
    this.received.push(entry);
    this.#answer(entry);
    const waiter = this.#waiters.find((candidate) => candidate.method === request.method);
    if (waiter) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      this.#claimed.add(entry);
      waiter.resolve(entry);
    }
  }

  #answer(entry: ReceivedRequest): void {
    const { request } = entry;
    const method = request.method;
    if (method === 'ACK') return;
    const credentials = this.options.credentials;
    const challenged = method === 'REGISTER' || method === 'INVITE';
    if (credentials && challenged) {
      const header = request.headers.get(method === 'REGISTER' ? 'authorization' : 'proxy-authorization');
      entry.digest = header ? (this.#checkDigest(header, method, credentials) ? 'valid' : 'invalid') : 'none';
      if (entry.digest !== 'valid') {
        const nonce = randomBytes(12).toString('hex');
        this.#nonces.add(nonce);
        const challenge = `Digest realm="${credentials.realm}", nonce="${nonce}", algorithm=MD5, qop="auth"`;
        if (method === 'REGISTER') this.#reply(entry, 401, 'Unauthorized', [['WWW-Authenticate', challenge]]);
        else this.#reply(entry, 407, 'Proxy Authentication Required', [['Proxy-Authenticate', challenge]]);
        return;
      }
    }
    if (method === 'REGISTER') {
      const asked = Number(
        /;\s*expires=(\d+)/i.exec(request.headers.get('contact') ?? '')?.[1] ??
          request.headers.get('expires') ??
          3600,
      );
      const expires = this.options.registerExpires ?? asked;
      const contacts = request.headers.getAll('contact').filter((contact) => contact.trim() !== '*');
      this.#reply(entry, 200, 'OK', [
        ...contacts.map(
          (contact) =>
            ['Contact', `${contact.replace(/;\s*expires=\d+/i, '')};expires=${expires}`] as [string, string],
        ),
        ['Expires', String(expires)],
      ]);
    } else if (method === 'INVITE') {
      this.#reply(entry, 100, 'Trying');
      const { status, reason, headers } = this.inviteResponse;
      this.#reply(entry, status, reason, headers ?? []);
    } else if (method === 'OPTIONS' || method === 'CANCEL' || method === 'BYE') {
      this.#reply(entry, 200, 'OK');
    } else {
      this.#reply(entry, 501, 'Not Implemented');
    }
  }

  /** RFC 2617 / 3261 22.4: MD5, with or without qop=auth. */
  #checkDigest(header: string, method: string, credentials: DigestCredentials): boolean {
    const p = digestParams(header);
    if (p.username !== credentials.username || p.realm !== credentials.realm) return false;
    if (!p.nonce || !this.#nonces.has(p.nonce) || !p.uri || !p.response) return false;
    if (p.algorithm && p.algorithm.toUpperCase() !== 'MD5') return false;
    const ha1 = md5(`${credentials.username}:${credentials.realm}:${credentials.password}`);
    const ha2 = md5(`${method}:${p.uri}`);
    const expected =
      p.qop === 'auth'
        ? md5(`${ha1}:${p.nonce}:${p.nc ?? ''}:${p.cnonce ?? ''}:auth:${ha2}`)
        : p.qop
          ? ''
          : md5(`${ha1}:${p.nonce}:${ha2}`);
    return expected !== '' && expected === p.response.toLowerCase();
  }

  #reply(
    entry: ReceivedRequest,
    status: number,
    reason: string,
    headers: readonly (readonly [string, string])[] = [],
  ): void {
    const { request } = entry;
    let to = request.headers.get('to') ?? '';
    // One tag per dialog, the same for a retransmission.
    if (status > 100 && !/;\s*tag=/i.test(to))
      to += `;tag=${md5(`${request.headers.get('call-id') ?? ''}${request.headers.get('from') ?? ''}`).slice(0, 10)}`;
    const text = [
      `SIP/2.0 ${status} ${reason}`,
      ...request.headers.getAll('via').map((via) => `Via: ${via}`),
      `From: ${request.headers.get('from') ?? ''}`,
      `To: ${to}`,
      `Call-ID: ${request.headers.get('call-id') ?? ''}`,
      `CSeq: ${request.headers.get('cseq') ?? ''}`,
      ...headers.map(([name, value]) => `${name}: ${value}`),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    if (status >= 200) entry.answered = status;
    const colon = entry.source.lastIndexOf(':');
    this.socket.send(text, Number(entry.source.slice(colon + 1)), entry.source.slice(0, colon));
  }
}
