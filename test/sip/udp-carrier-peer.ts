import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { parseMessage } from '../../server/sip/message/parse-message';
import type { SipMessage, SipRequest, SipResponse } from '../../server/sip/message/sip-message';
import { SipInbox, type Match } from './sip-inbox';
import { requestText, responseText, type AnswerExtra, type RequestParts } from './support/sip-wire';

const token = (bytes = 6) => randomBytes(bytes).toString('hex');

/**
 * A carrier's SIP side played by a test over raw UDP, on a loopback address of its choosing (an
 * IP-authenticated trunk is recognised by its address): it answers the edge's OPTIONS keep-alives
 * by itself and lets the test answer INVITEs, send requests and read what the edge sent.
 */
export class UdpCarrierPeer {
  readonly #inbox = new SipInbox(() => ` at the carrier ${this.address}:${this.port}`);
  /** Every request the edge sent (OPTIONS included), in order. */
  readonly requests: SipRequest[] = [];

  private constructor(
    private readonly socket: Socket,
    readonly address: string,
    readonly port: number,
    private readonly edgePort: number,
  ) {
    socket.on('message', (data) => this.#receive(data));
  }

  static async start(edgePort: number, address = '127.0.0.1'): Promise<UdpCarrierPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, address, () => resolve());
    });
    return new UdpCarrierPeer(socket, address, socket.address().port, edgePort);
  }

  #receive(data: Buffer): void {
    const parsed = parseMessage(data);
    if (!parsed.ok) return;
    const message = parsed.message;
    if (message.kind === 'request') {
      this.requests.push(message);
      if (message.method === 'OPTIONS') {
        this.answer(message, 200, 'OK');
        return;
      }
      if (message.method === 'REGISTER') {
        const contact = message.headers.get('contact') ?? '';
        this.answer(message, 200, 'OK', {
          toTag: token(4),
          headers: [['Contact', `${contact};expires=300`]],
        });
        return;
      }
    }
    this.#inbox.deliver(message);
  }

  sendText(text: string): void {
    this.socket.send(text, this.edgePort, '127.0.0.1');
  }

  next(match: Match = () => true, timeoutMs = 5000): Promise<SipMessage> {
    return this.#inbox.next(match, timeoutMs);
  }

  request(method: string, timeoutMs = 5000): Promise<SipRequest> {
    return this.#inbox.request(method, timeoutMs);
  }

  response(callId: string, method: string, final = true, timeoutMs = 5000): Promise<SipResponse> {
    return this.#inbox.response(callId, method, final, timeoutMs);
  }

  /** Answers a request from the edge (Via, From, To, Call-ID, CSeq copied; a To tag added if asked). */
  answer(request: SipRequest, status: number, reason: string, extra: AnswerExtra = {}): void {
    this.sendText(responseText(request, status, reason, extra, { sdpBody: true }));
  }

  /** Sends a request to the edge; returns its branch. */
  send(parts: RequestParts): string {
    const branch = parts.branch ?? `z9hG4bK${token()}`;
    const via = `SIP/2.0/UDP ${this.address}:${this.port};branch=${branch};rport`;
    this.sendText(requestText(parts, via, [`Contact: ${this.contact}`], { sdpBody: true }));
    return branch;
  }

  /** The carrier's in-dialog request built from what it knows of the dialog (its own and the edge's tags). */
  get contact(): string {
    return `<sip:carrier@${this.address}:${this.port}>`;
  }

  close(): void {
    this.socket.close();
  }
}
