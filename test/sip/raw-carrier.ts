import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type AddressInfo, type Server, type Socket as TcpSocket } from 'node:net';
import { parseAuthHeader } from '../../server/sip/message/auth-header';
import { buildResponse } from '../../server/sip/message/build-response';
import { parseMessage } from '../../server/sip/message/parse-message';
import { serializeMessage } from '../../server/sip/message/serialize-message';
import type { SipMessage, SipRequest, SipResponse } from '../../server/sip/message/sip-message';
import { buildAckForNon2xx } from '../../server/sip/transaction/request-builders';
import { StreamFramer } from '../../server/sip/transport/stream-framer';

/** A REGISTER the carrier received, with what it made of it. */
export interface ReceivedRegister {
  request: SipRequest;
  at: number;
  /** Whether it carried credentials, and whether they were right. */
  credentials: 'none' | 'right' | 'wrong';
}

/** Sends a whole message back the way the request came (a datagram to its source, or its TCP connection). */
type Reply = (wire: string) => void;

/**
 * A carrier's SIP side over raw UDP or TCP on a loopback address, for trunk tests: a registrar
 * that challenges every REGISTER without credentials with 401 (SHA-256 Digest, qop=auth, a new
 * nonce each time), checks the answer by its own hashing and grants `grantSeconds`; it answers
 * OPTIONS with `optionsStatus` (null: silence, as a carrier gone away) and sends requests.
 */
export class RawCarrier {
  readonly registers: ReceivedRegister[] = [];
  readonly options: SipRequest[] = [];
  readonly responses: SipResponse[] = [];
  optionsStatus: number | null = 200;
  grantSeconds = 2;
  readonly realm = 'carrier.test';
  /** Where the edge's SIP over UDP listens (set once it does). */
  edgePort = 0;
  /** TCP: the connections the edge opened, in order. */
  readonly connections: TcpSocket[] = [];
  readonly #nonces = new Set<string>();
  /** Requests this carrier sent, by Call-ID (to ACK the edge's refusals of its INVITEs). */
  readonly #sent = new Map<string, SipRequest>();
  #udp: UdpSocket | null = null;
  #tcp: Server | null = null;

  private constructor(
    readonly transport: 'udp' | 'tcp',
    readonly address: string,
    private readonly username: string,
    private readonly password: string,
  ) {}

  get port(): number {
    const bound = this.#udp?.address() ?? (this.#tcp?.address() as AddressInfo | null);
    return bound?.port ?? 0;
  }

  static async start(options: {
    transport?: 'udp' | 'tcp';
    address?: string;
    username?: string;
    password?: string;
  }): Promise<RawCarrier> {
    const address = options.address ?? '127.0.0.1';
    const carrier = new RawCarrier(
      options.transport ?? 'udp',
      address,
      options.username ?? 'acme',
      options.password ?? 'right password',
    );
    if (carrier.transport === 'udp') {
      const socket = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, address, () => resolve());
      });
      socket.on('message', (data, source) =>
        carrier.#receive(data, (wire) => socket.send(wire, source.port, source.address)),
      );
      carrier.#udp = socket;
    } else {
      const server = createServer((socket) => {
        carrier.connections.push(socket);
        socket.on('error', () => {});
        const framer = new StreamFramer(64 * 1024);
        socket.on('data', (chunk: Buffer) => {
          for (const frame of framer.push(chunk)) {
            if (frame.kind === 'message') carrier.#receive(frame.bytes, (wire) => socket.write(wire));
          }
        });
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, address, () => resolve());
      });
      carrier.#tcp = server;
    }
    return carrier;
  }

  /** Sends a raw request to the edge over UDP (`\n` line ends are sent as CRLF). */
  send(text: string): void {
    const wire = text.replace(/\r?\n/g, '\r\n');
    const parsed = parseMessage(wire);
    if (parsed.ok && parsed.message.kind === 'request')
      this.#sent.set(parsed.message.headers.get('call-id') ?? '', parsed.message);
    this.#udp?.send(wire, this.edgePort, '127.0.0.1');
  }

  /** TCP: drops every connection, as a carrier restarting would. */
  dropConnections(): void {
    for (const socket of this.connections) socket.destroy();
  }

  close(): Promise<void> {
    const udp = this.#udp;
    if (udp) return new Promise((resolve) => udp.close(() => resolve()));
    this.dropConnections();
    const tcp = this.#tcp;
    return new Promise((resolve) => (tcp ? tcp.close(() => resolve()) : resolve()));
  }

  #reply(request: SipRequest, status: number, reason: string, headers: [string, string][], to: Reply): void {
    to(serializeMessage(buildResponse(request, status, reason, { headers })));
  }

  #receive(data: Buffer, to: Reply): void {
    const parsed = parseMessage(data);
    if (!parsed.ok) return;
    const message: SipMessage = parsed.message;
    if (message.kind === 'response') {
      this.responses.push(message);
      const invite = this.#sent.get(message.headers.get('call-id') ?? '');
      if (invite?.method === 'INVITE' && message.status >= 300) {
        to(serializeMessage(buildAckForNon2xx(invite, message)));
      }
      return;
    }
    if (message.method === 'OPTIONS') {
      this.options.push(message);
      if (this.optionsStatus !== null)
        this.#reply(message, this.optionsStatus, reasonOf(this.optionsStatus), [], to);
      return;
    }
    if (message.method === 'REGISTER') this.#register(message, to);
  }

  #register(request: SipRequest, to: Reply): void {
    const authorization = request.headers.get('authorization');
    const credentials =
      authorization === undefined ? 'none' : this.#check(request, authorization) ? 'right' : 'wrong';
    this.registers.push({ request, at: performance.now(), credentials });
    if (credentials !== 'right') {
      const nonce = randomBytes(12).toString('hex');
      this.#nonces.add(nonce);
      this.#reply(
        request,
        401,
        'Unauthorized',
        [
          [
            'WWW-Authenticate',
            `Digest realm="${this.realm}", nonce="${nonce}", algorithm=SHA-256, qop="auth"`,
          ],
        ],
        to,
      );
      return;
    }
    const expires = Math.min(Number(request.headers.get('expires') ?? 0), this.grantSeconds);
    const contact = request.headers.get('contact') ?? '';
    this.#reply(
      request,
      200,
      'OK',
      [
        ['Contact', `${contact};expires=${expires}`],
        ['Expires', String(expires)],
      ],
      to,
    );
  }

  /** RFC 7616 3.4.1 with SHA-256, computed here without the edge's code. */
  #check(request: SipRequest, authorization: string): boolean {
    const p = parseAuthHeader(authorization)?.params;
    if (!p) return false;
    const nonce = p.get('nonce') ?? '';
    if (!this.#nonces.delete(nonce)) return false;
    if (p.get('username') !== this.username || p.get('realm') !== this.realm || p.get('uri') !== request.uri)
      return false;
    const h = (text: string) => createHash('sha256').update(text).digest('hex');
    const ha1 = h(`${this.username}:${this.realm}:${this.password}`);
    const ha2 = h(`${request.method}:${request.uri}`);
    const expected = h(`${ha1}:${nonce}:${p.get('nc')}:${p.get('cnonce')}:auth:${ha2}`);
    return p.get('qop') === 'auth' && p.get('response') === expected;
  }
}

function reasonOf(status: number): string {
  return status === 200 ? 'OK' : status === 503 ? 'Service Unavailable' : 'Whatever';
}
