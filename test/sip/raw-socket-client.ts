import { randomBytes } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket as TcpSocket } from 'node:net';
import { parseMessage } from '../../server/sip/message/parse-message';
import type { SipMessage, SipRequest, SipResponse } from '../../server/sip/message/sip-message';
import { StreamFramer } from '../../server/sip/transport/stream-framer';
import { SipInbox, type Match } from './sip-inbox';
import { requestText, responseText, type AnswerExtra, type RequestParts } from './support/sip-wire';

const token = (bytes = 6) => randomBytes(bytes).toString('hex');

/**
 * A desk phone speaking raw SIP over UDP or TCP on loopback, for protocol tests. `dropNext`
 * loses an incoming message on purpose (as a lossy network would) to test retransmissions.
 */
export class RawSocketSipClient {
  /** Every message that arrived, dropped ones included, in order. */
  readonly received: SipMessage[] = [];
  readonly #inbox = new SipInbox(() => ` over ${this.transport}`);
  readonly #drops: Match[] = [];

  private constructor(
    readonly transport: 'udp' | 'tcp',
    readonly localPort: number,
    private readonly write: (text: string) => void,
    private readonly shut: () => void,
    readonly contactUser = token(4),
  ) {}

  /** `contactUser` reuses another client's Contact (the same phone on a new address). */
  static async udp(port: number, contactUser?: string): Promise<RawSocketSipClient> {
    const socket: UdpSocket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const client = new RawSocketSipClient(
      'udp',
      socket.address().port,
      (text) => socket.send(text, port, '127.0.0.1'),
      () => socket.close(),
      contactUser,
    );
    socket.on('message', (data) => client.#receive(data));
    return client;
  }

  static async tcp(port: number): Promise<RawSocketSipClient> {
    const socket: TcpSocket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new RawSocketSipClient(
      'tcp',
      socket.localPort ?? 0,
      (text) => socket.write(text),
      () => socket.destroy(),
    );
    const framer = new StreamFramer(64 * 1024);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of framer.push(chunk)) if (frame.kind === 'message') client.#receive(frame.bytes);
    });
    socket.on('error', () => {});
    return client;
  }

  get hostPort(): string {
    return `127.0.0.1:${this.localPort}`;
  }

  get contact(): string {
    return this.transport === 'tcp'
      ? `<sip:${this.contactUser}@${this.hostPort};transport=tcp>`
      : `<sip:${this.contactUser}@${this.hostPort}>`;
  }

  /** Loses the next incoming message that matches (once). */
  dropNext(match: Match): void {
    this.#drops.push(match);
  }

  #receive(data: Buffer): void {
    const parsed = parseMessage(data);
    if (!parsed.ok) return;
    const message = parsed.message;
    this.received.push(message);
    const drop = this.#drops.findIndex((m) => m(message));
    if (drop >= 0) {
      this.#drops.splice(drop, 1);
      return;
    }
    this.#inbox.deliver(message);
  }

  sendText(text: string): void {
    this.write(text);
  }

  build(parts: RequestParts): string {
    const via = this.transport === 'tcp' ? 'SIP/2.0/TCP' : 'SIP/2.0/UDP';
    return requestText(parts, `${via} ${this.hostPort};branch=${parts.branch ?? `z9hG4bK${token()}`};rport`);
  }

  /** Sends a request; returns its text so a test can send the very same bytes again. */
  send(parts: RequestParts): string {
    const text = this.build(parts);
    this.sendText(text);
    return text;
  }

  next(match: Match = () => true, timeoutMs = 5000): Promise<SipMessage> {
    return this.#inbox.next(match, timeoutMs);
  }

  response(callId: string, method: string, final = true, timeoutMs = 5000): Promise<SipResponse> {
    return this.#inbox.response(callId, method, final, timeoutMs);
  }

  request(method: string, timeoutMs = 5000): Promise<SipRequest> {
    return this.#inbox.request(method, timeoutMs);
  }

  /** How many messages matching arrived so far, dropped ones included. */
  count(match: Match): number {
    return this.received.filter(match).length;
  }

  /** Answers a request received from the edge (copies Via, From, To, Call-ID, CSeq, Record-Route). */
  answer(request: SipRequest, status: number, reason: string, extra: AnswerExtra = {}): string {
    const text = responseText(request, status, reason, extra, { recordRoute: true });
    this.sendText(text);
    return text;
  }

  close(): void {
    this.shut();
  }
}
