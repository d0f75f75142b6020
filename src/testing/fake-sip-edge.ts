import { EmitterImpl, TransportState } from 'sip.js/lib/api/index.js';
import type {
  BodyAndContentType,
  Emitter,
  SessionDescriptionHandler,
  SessionDescriptionHandlerFactory,
  Transport,
} from 'sip.js/lib/api/index.js';

// Test support: a SIP edge in memory, spoken to through a fake sip.js Transport, and session
// description handlers without WebRTC. Lets the wrapper run in jsdom exactly as it would
// against the real edge, message by message.

export type SipText = {
  startLine: string;
  method: string | null;
  status: number | null;
  headers: [string, string][];
  body: string;
};

export function parseSip(text: string): SipText {
  const split = text.indexOf('\r\n\r\n');
  const head = split >= 0 ? text.slice(0, split) : text;
  const body = split >= 0 ? text.slice(split + 4) : '';
  const [startLine = '', ...lines] = head.split('\r\n');
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
  });
  const response = /^SIP\/2\.0 (\d{3})/.exec(startLine);
  return {
    startLine,
    method: response ? null : (startLine.split(' ')[0] ?? null),
    status: response ? Number(response[1]) : null,
    headers,
    body,
  };
}

export function header(message: SipText, name: string): string | undefined {
  return message.headers.find(([key]) => key === name.toLowerCase())?.[1];
}

function allHeaders(message: SipText, name: string): string[] {
  return message.headers.filter(([key]) => key === name.toLowerCase()).map(([, value]) => value);
}

export const fakeSdp =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';

let tagCount = 0;
const newTag = () => `edge${(tagCount += 1)}`;

type ResponseOptions = { toTag?: string; body?: string; contact?: string; extra?: string[]; reason?: string };

/** The edge side: answers what the phone sends and sends it requests; every message is kept. */
export class FakeSipEdge {
  readonly received: SipText[] = [];
  /** Connection attempts fail while down (server gone). */
  down = false;
  /** Connection attempts to these WebSocket URLs fail (one of several edges gone). */
  readonly downServers = new Set<string>();
  /** The WebSocket URL of every connection attempt, in order. */
  readonly servers: string[] = [];
  /**
   * The open connection's network is gone without a word (the laptop changed networks): what the
   * phone sends on it is lost and nothing comes back, but it stays open. A new connection works.
   */
  silent = false;
  /** Answer to REGISTER (default 200). */
  registerAnswer: { status: number; reason: string } = { status: 200, reason: 'OK' };
  /** Answer to the phone's INVITEs: final status (default 200 after 180). */
  inviteAnswer: { status: number; reason: string } = { status: 200, reason: 'OK' };
  /** Answer to the phone's INFOs that carry no DTMF (monitor mode changes; default 200). */
  infoAnswer: { status: number; reason: string } = { status: 200, reason: 'OK' };
  transport: FakeTransport | null = null;
  connects = 0;
  private readonly dialogs = new Map<
    string,
    { phoneTag: string; edgeTag: string; cseq: number; phoneUri: string }
  >();
  /** Dialogs the phone started and the edge answered, by Call-ID. */
  private readonly answered = new Map<string, { invite: SipText; edgeTag: string; cseq: number }>();

  /** The class sip.js constructs as its transport. */
  transportClass(): new (logger?: unknown, options?: { server?: string }) => Transport {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const edge = this;
    return class extends FakeTransport {
      constructor(_logger?: unknown, options?: { server?: string }) {
        super(edge, options?.server ?? '');
      }
    };
  }

  requests(method: string): SipText[] {
    return this.received.filter((message) => message.method === method);
  }

  /** Resolves once a message matching `predicate` has arrived (or was already there). */
  async waitFor(predicate: (message: SipText) => boolean, what = 'a SIP message'): Promise<SipText> {
    for (let waited = 0; waited < 3_000; waited += 5) {
      const found = this.received.find(predicate);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(
      `Timed out waiting for ${what}; got:\n${this.received.map((m) => m.startLine).join('\n')}`,
    );
  }

  handle(text: string): void {
    // RFC 5626 keep-alive: a double-CRLF ping gets a CRLF pong.
    if (/^(\r\n)+$/.test(text)) {
      this.transport?.receivePong();
      return;
    }
    const message = parseSip(text);
    this.received.push(message);
    if (message.method === null) return;
    switch (message.method) {
      case 'REGISTER': {
        const contact = header(message, 'contact') ?? '';
        const expires = header(message, 'expires') ?? '300';
        this.respond(message, this.registerAnswer.status, {
          reason: this.registerAnswer.reason,
          contact: `${contact};expires=${expires}`,
        });
        return;
      }
      case 'INVITE': {
        const toTag = /tag=/.test(header(message, 'to') ?? '') ? undefined : newTag();
        if (toTag === undefined) {
          // re-INVITE: answer with an SDP.
          this.respond(message, 200, { body: fakeSdp, contact: '<sip:peer@edge.invalid;transport=ws>' });
          return;
        }
        const { status, reason } = this.inviteAnswer;
        this.respond(message, 180, {
          toTag,
          reason: 'Ringing',
          contact: '<sip:peer@edge.invalid;transport=ws>',
        });
        if (status === 200)
          this.answered.set(header(message, 'call-id') ?? '', { invite: message, edgeTag: toTag, cseq: 1 });
        setTimeout(() => {
          this.respond(message, status, {
            toTag,
            reason,
            ...(status === 200 ? { body: fakeSdp, contact: '<sip:peer@edge.invalid;transport=ws>' } : {}),
          });
        }, 10);
        return;
      }
      case 'ACK':
        return;
      case 'CANCEL':
        this.respond(message, 200);
        return;
      case 'REFER':
        this.respond(message, 202, { reason: 'Accepted' });
        return;
      case 'INFO':
        if (/dtmf-relay/i.test(header(message, 'content-type') ?? '')) this.respond(message, 200);
        else this.respond(message, this.infoAnswer.status, { reason: this.infoAnswer.reason });
        return;
      default:
        this.respond(message, 200);
    }
  }

  respond(request: SipText, status: number, options: ResponseOptions = {}): void {
    const to = header(request, 'to') ?? '';
    const lines = [
      `SIP/2.0 ${status} ${options.reason ?? (status === 200 ? 'OK' : 'Response')}`,
      ...allHeaders(request, 'via').map((via) => `Via: ${via}`),
      `From: ${header(request, 'from') ?? ''}`,
      `To: ${options.toTag && !/tag=/.test(to) ? `${to};tag=${options.toTag}` : to}`,
      `Call-ID: ${header(request, 'call-id') ?? ''}`,
      `CSeq: ${header(request, 'cseq') ?? ''}`,
      ...(options.contact ? [`Contact: ${options.contact}`] : []),
      ...(options.extra ?? []),
    ];
    this.deliver(lines, options.body);
  }

  private deliver(lines: string[], body?: string): void {
    const withBody = body ? [...lines, 'Content-Type: application/sdp'] : lines;
    const text = `${withBody.join('\r\n')}\r\nContent-Length: ${body?.length ?? 0}\r\n\r\n${body ?? ''}`;
    setTimeout(() => this.transport?.onMessage?.(text), 0);
  }

  /** Sends the phone an INVITE from `fromUser`; returns its Call-ID. */
  invite(
    fromUser: string,
    displayName: string,
    phoneUri = 'sip:agent1@switchboard.local',
    extra: string[] = [],
  ): string {
    const callId = `edge-call-${newTag()}`;
    const edgeTag = newTag();
    this.dialogs.set(callId, { phoneTag: '', edgeTag, cseq: 1, phoneUri });
    this.deliver(
      [
        `INVITE ${phoneUri} SIP/2.0`,
        `Via: SIP/2.0/WSS edge.invalid;branch=z9hG4bK${newTag()}`,
        'Max-Forwards: 70',
        `From: "${displayName}" <sip:${fromUser}@switchboard.local>;tag=${edgeTag}`,
        `To: <${phoneUri}>`,
        `Call-ID: ${callId}`,
        'CSeq: 1 INVITE',
        `Contact: <sip:${fromUser}@edge.invalid;transport=ws>`,
        ...extra,
      ],
      fakeSdp,
    );
    return callId;
  }

  /** ACKs the phone's 200 to our INVITE (so the dialog is confirmed). */
  ack(callId: string, answer: SipText): void {
    const dialog = this.dialogs.get(callId);
    if (!dialog) throw new Error(`No dialog ${callId}`);
    dialog.phoneTag = /tag=([^;]+)/.exec(header(answer, 'to') ?? '')?.[1] ?? '';
    this.inDialog(callId, 'ACK', 1);
  }

  /** Sends an in-dialog request (INFO, BYE) to the phone on a call the edge started. */
  inDialog(callId: string, method: string, cseq?: number, extra: string[] = [], body?: string): void {
    const dialog = this.dialogs.get(callId);
    if (!dialog) throw new Error(`No dialog ${callId}`);
    if (cseq === undefined) dialog.cseq += 1;
    const lines = [
      `${method} ${dialog.phoneUri} SIP/2.0`,
      `Via: SIP/2.0/WSS edge.invalid;branch=z9hG4bK${newTag()}`,
      'Max-Forwards: 70',
      `From: <sip:peer@switchboard.local>;tag=${dialog.edgeTag}`,
      `To: <${dialog.phoneUri}>;tag=${dialog.phoneTag}`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq ?? dialog.cseq} ${method}`,
      ...extra,
    ];
    if (body === undefined) {
      this.deliver(lines);
      return;
    }
    const text = `${lines.join('\r\n')}\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    setTimeout(() => this.transport?.onMessage?.(text), 0);
  }

  /** Sends an in-dialog request (BYE, INFO) to the phone on a call the phone started. */
  toCaller(callId: string, method: string, extra: string[] = []): void {
    const dialog = this.answered.get(callId);
    if (!dialog) throw new Error(`No answered call ${callId}`);
    dialog.cseq += 1;
    const contact = /<([^>]+)>/.exec(header(dialog.invite, 'contact') ?? '')?.[1] ?? '';
    this.deliver([
      `${method} ${contact} SIP/2.0`,
      `Via: SIP/2.0/WSS edge.invalid;branch=z9hG4bK${newTag()}`,
      'Max-Forwards: 70',
      `From: ${header(dialog.invite, 'to') ?? ''};tag=${dialog.edgeTag}`,
      `To: ${header(dialog.invite, 'from') ?? ''}`,
      `Call-ID: ${callId}`,
      `CSeq: ${dialog.cseq} ${method}`,
      ...extra,
    ]);
  }

  /** The WebSocket drops (network change, server killed). */
  drop(): void {
    this.transport?.dropped();
  }
}

class FakeTransport implements Transport {
  readonly stateChange: Emitter<TransportState>;
  private readonly emitter = new EmitterImpl<TransportState>();
  private current = TransportState.Disconnected;
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  readonly protocol = 'WSS';
  /** What sip.js's web transport exposes as `ws`: the socket's messages (here only pongs). */
  ws: EventTarget | undefined;

  constructor(
    private readonly edge: FakeSipEdge,
    private server: string,
  ) {
    this.stateChange = this.emitter;
    edge.transport = this;
  }

  /** The next connection goes to `url` (the phone moved to another edge). */
  useServer(url: string): void {
    this.server = url;
  }

  get state(): TransportState {
    return this.current;
  }

  private transition(state: TransportState, error?: Error): void {
    this.current = state;
    this.emitter.emit(state);
    if (state === TransportState.Connected) this.onConnect?.();
    if (state === TransportState.Disconnected) this.onDisconnect?.(error);
  }

  async connect(): Promise<void> {
    this.edge.connects += 1;
    this.edge.servers.push(this.server);
    if (this.edge.down || this.edge.downServers.has(this.server)) {
      this.current = TransportState.Disconnected;
      throw new Error('Connection refused');
    }
    this.ws = new EventTarget();
    // A new connection goes over the network the phone has now.
    this.edge.silent = false;
    this.transition(TransportState.Connected);
  }

  /** On a silent connection the close never completes, as a browser waits for the server's close frame. */
  async disconnect(): Promise<void> {
    if (this.current !== TransportState.Connected) return;
    if (this.edge.silent) {
      this.transition(TransportState.Disconnecting);
      return new Promise<void>(() => undefined);
    }
    this.transition(TransportState.Disconnected);
  }

  receivePong(): void {
    const socket = this.ws;
    queueMicrotask(() => socket?.dispatchEvent(new MessageEvent('message', { data: '\r\n' })));
  }

  dropped(): void {
    if (this.current === TransportState.Connected)
      this.transition(TransportState.Disconnected, new Error('dropped'));
  }

  async dispose(): Promise<void> {
    this.current = TransportState.Disconnected;
  }

  isConnected(): boolean {
    return this.current === TransportState.Connected;
  }

  async send(message: string): Promise<void> {
    if (!this.isConnected()) throw new Error('Not connected');
    if (this.edge.silent) return;
    this.edge.handle(message);
  }
}

/** A session description handler with a fixed SDP: no WebRTC needed. Records DTMF sent. */
export class FakeSessionDescriptionHandler implements SessionDescriptionHandler {
  static readonly created: FakeSessionDescriptionHandler[] = [];
  readonly tones: string[] = [];
  closed = false;

  close(): void {
    this.closed = true;
  }

  async getDescription(): Promise<BodyAndContentType> {
    return { body: fakeSdp, contentType: 'application/sdp' };
  }

  hasDescription(contentType: string): boolean {
    return contentType === 'application/sdp';
  }

  async setDescription(): Promise<void> {}

  sendDtmf(tones: string): boolean {
    this.tones.push(tones);
    return true;
  }
}

export const fakeSessionDescriptionHandlerFactory: SessionDescriptionHandlerFactory = () => {
  const handler = new FakeSessionDescriptionHandler();
  FakeSessionDescriptionHandler.created.push(handler);
  return handler;
};
