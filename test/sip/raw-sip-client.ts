import { createHash, randomBytes } from 'node:crypto';
import { WebSocket, type ClientOptions } from 'ws';
import { parseAuthHeader } from '../../server/sip/message/auth-header';
import { parseMessage } from '../../server/sip/message/parse-message';
import type { SipMessage, SipRequest, SipResponse } from '../../server/sip/message/sip-message';
import { SipInbox, type Match } from './sip-inbox';
import { requestText, responseText, type AnswerExtra, type RequestParts } from './support/sip-wire';

const token = (bytes = 6) => randomBytes(bytes).toString('hex');

export type { RequestParts };

/** A SIP-over-WebSocket client speaking raw text, for protocol tests. */
export class RawSipClient {
  readonly host: string;
  readonly contactUser: string;
  readonly #inbox = new SipInbox(() => `; got:\n${this.raw.slice(-3).join('\n---\n')}`);
  readonly raw: string[] = [];
  closed: Promise<number>;

  private constructor(
    readonly ws: WebSocket,
    identity: { host?: string; contactUser?: string } = {},
  ) {
    this.host = identity.host ?? `${token()}.invalid`;
    this.contactUser = identity.contactUser ?? token(4);
    ws.on('message', (data: Buffer, isBinary) => {
      const text = data.toString();
      this.raw.push(text);
      // A binary frame carries a binary body (RFC 7118): parsed as the bytes it is.
      const parsed = parseMessage(isBinary ? data : text);
      if (!parsed.ok) return;
      const message = parsed.message;
      this.#inbox.deliver(message);
    });
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
  }

  /**
   * `identity` reuses a previous client's Via host and Contact (a phone reconnecting);
   * `options` go to the WebSocket (e.g. `localAddress` to connect from another loopback address).
   */
  static connect(
    url: string,
    identity: { host?: string; contactUser?: string } = {},
    options: ClientOptions = {},
  ): Promise<RawSipClient> {
    const ws = new WebSocket(url, 'sip', options);
    const client = new RawSipClient(ws, identity);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  get contact(): string {
    return `<sip:${this.contactUser}@${this.host};transport=ws>`;
  }

  sendText(text: string): void {
    this.ws.send(text);
  }

  build(parts: RequestParts): string {
    return requestText(parts, `SIP/2.0/WS ${this.host};branch=${parts.branch ?? `z9hG4bK${token()}`}`);
  }

  send(parts: RequestParts): void {
    this.sendText(this.build(parts));
  }

  /** The next message matching, queued or future. */
  next(match: Match = () => true, timeoutMs = 5000): Promise<SipMessage> {
    return this.#inbox.next(match, timeoutMs);
  }

  response(callId: string, method: string, final = true, timeoutMs = 5000): Promise<SipResponse> {
    return this.#inbox.response(callId, method, final, timeoutMs);
  }

  request(method: string, timeoutMs = 5000): Promise<SipRequest> {
    return this.#inbox.request(method, timeoutMs);
  }

  /** Nothing matching arrives within the time. */
  async nothing(match: (m: SipMessage) => boolean, ms = 300): Promise<boolean> {
    try {
      await this.next(match, ms);
      return false;
    } catch {
      return true;
    }
  }

  /** Answers a request received from the edge (copies Via, From, To, Call-ID, CSeq). */
  answer(request: SipRequest, status: number, reason: string, extra: AnswerExtra = {}): void {
    this.sendText(responseText(request, status, reason, extra, { recordRoute: true }));
  }

  close(): void {
    this.ws.close();
  }

  terminate(): void {
    this.ws.terminate();
  }
}

export type Algorithm = 'MD5' | 'SHA-256';

const hash = (algorithm: Algorithm, text: string) =>
  createHash(algorithm === 'MD5' ? 'md5' : 'sha256')
    .update(text)
    .digest('hex');

/** An Authorization value answering `challenge` (computed here, independently of the server). */
export function digestAnswer(options: {
  challenge: string;
  username: string;
  password: string;
  method: string;
  uri: string;
  nc?: number;
  cnonce?: string;
}): string {
  const parsed = parseAuthHeader(options.challenge);
  if (!parsed) throw new Error(`bad challenge ${options.challenge}`);
  const realm = parsed.params.get('realm') ?? '';
  const nonce = parsed.params.get('nonce') ?? '';
  const algorithm = (parsed.params.get('algorithm') ?? 'MD5') as Algorithm;
  const nc = (options.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = options.cnonce ?? token();
  const ha1 = hash(algorithm, `${options.username}:${realm}:${options.password}`);
  const ha2 = hash(algorithm, `${options.method}:${options.uri}`);
  const response = hash(algorithm, `${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return `Digest username="${options.username}", realm="${realm}", nonce="${nonce}", uri="${options.uri}", response="${response}", algorithm=${algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}"`;
}

export interface RegisterOptions {
  domain: string;
  user: string;
  /** The digest username (the user, or an ephemeral `<expiry>:<user>`). */
  authUser?: string;
  password: string;
  algorithm?: Algorithm;
  expires?: number;
  callId?: string;
  /** Added to the Contact (e.g. `;+switchboard.mix`). */
  contactParams?: string;
}

/** REGISTER with the full challenge round trip; returns the final response to the answer. */
/** What `register` needs of a client: the WebSocket one, or a UDP/TCP one (raw-socket-client). */
export type RegisteringClient = Pick<RawSipClient, 'contact' | 'send' | 'response'>;

export async function register(client: RegisteringClient, options: RegisterOptions): Promise<SipResponse> {
  const callId = options.callId ?? token(8);
  const aor = `<sip:${options.user}@${options.domain}>`;
  const base = {
    method: 'REGISTER',
    uri: `sip:${options.domain}`,
    from: `${aor};tag=${token()}`,
    to: aor,
    callId,
    headers: [
      ['Contact', `${client.contact}${options.contactParams ?? ''};expires=${options.expires ?? 600}`],
      ['User-Agent', 'raw-sip-test'],
    ] as [string, string][],
  };
  client.send({ ...base, cseq: 1 });
  const challenge = await client.response(callId, 'REGISTER');
  if (challenge.status !== 401) return challenge;
  const offers = challenge.headers.getAll('www-authenticate');
  const wanted = options.algorithm ?? 'MD5';
  const offer = offers.find((o) => o.includes(`algorithm=${wanted}`)) ?? offers[0] ?? '';
  client.send({
    ...base,
    cseq: 2,
    headers: [
      ...base.headers,
      [
        'Authorization',
        digestAnswer({
          challenge: offer,
          username: options.authUser ?? options.user,
          password: options.password,
          method: 'REGISTER',
          uri: base.uri,
        }),
      ],
    ],
  });
  return client.response(callId, 'REGISTER');
}

export const newCallId = () => token(10);
export const newTag = () => token(5);
