import type { Core } from 'sip.js';
import {
  Invitation,
  Inviter,
  Registerer,
  RegistererState,
  SessionState,
  UserAgent,
  type Session,
  type SessionDescriptionHandler,
  type SessionDescriptionHandlerOptions,
} from 'sip.js';
import { WebSocket } from 'ws';

type IncomingResponse = Core.IncomingResponse;
const statusOf = (response: IncomingResponse) => response.message.statusCode ?? 0;

let installed = false;
/** sip.js opens `new WebSocket(url, 'sip')`; Node 20 has none, so `ws` stands in. */
export function installWebSocket(): void {
  if (installed) return;
  Object.assign(globalThis, { WebSocket });
  installed = true;
}

const sdp = (direction: 'sendrecv' | 'sendonly') =>
  [
    'v=0',
    `o=- ${Date.now()} 1 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'c=IN IP4 127.0.0.1',
    'a=rtpmap:111 opus/48000/2',
    `a=${direction}`,
    '',
  ].join('\r\n');

/** A session description handler with a fixed SDP: signalling only, no media. */
export class FixedSdpHandler implements SessionDescriptionHandler {
  readonly received: string[] = [];

  close(): void {}

  getDescription(options?: SessionDescriptionHandlerOptions & { hold?: boolean }) {
    return Promise.resolve({
      body: sdp(options?.hold ? 'sendonly' : 'sendrecv'),
      contentType: 'application/sdp',
    });
  }

  hasDescription(contentType: string): boolean {
    return contentType === 'application/sdp';
  }

  setDescription(description: string): Promise<void> {
    this.received.push(description);
    return Promise.resolve();
  }

  sendDtmf(): boolean {
    return false;
  }
}

export interface PhoneOptions {
  wsUrl: string;
  domain: string;
  user: string;
  password: string;
  /** Digest username when not the user (ephemeral credentials). */
  authUser?: string;
}

/** A sip.js UserAgent in Node, registered, collecting incoming calls. */
export class TestPhone {
  readonly invitations: Invitation[] = [];
  readonly #waiters: ((invitation: Invitation) => void)[] = [];
  readonly ua: UserAgent;
  readonly registerer: Registerer;
  lastRegisterStatus: number | null = null;

  constructor(readonly options: PhoneOptions) {
    installWebSocket();
    const uri = UserAgent.makeURI(`sip:${options.user}@${options.domain}`);
    if (!uri) throw new Error('bad uri');
    this.ua = new UserAgent({
      uri,
      authorizationUsername: options.authUser ?? options.user,
      authorizationPassword: options.password,
      transportOptions: { server: options.wsUrl },
      logBuiltinEnabled: process.env.SIPJS_LOG === '1',
      logLevel: 'warn',
      sessionDescriptionHandlerFactory: () => new FixedSdpHandler(),
      delegate: {
        onInvite: (invitation) => {
          const waiter = this.#waiters.shift();
          if (waiter) waiter(invitation);
          else this.invitations.push(invitation);
        },
      },
    });
    this.registerer = new Registerer(this.ua, { expires: 600 });
  }

  static async online(options: PhoneOptions): Promise<TestPhone> {
    const phone = new TestPhone(options);
    await phone.ua.start();
    const status = await phone.register();
    if (status !== 200) throw new Error(`${options.user} could not register: ${status}`);
    return phone;
  }

  /** REGISTER; resolves with the final status. */
  register(): Promise<number> {
    return new Promise((resolve) => {
      void this.registerer
        .register({
          requestDelegate: {
            onAccept: (response: IncomingResponse) => resolve((this.lastRegisterStatus = statusOf(response))),
            onReject: (response: IncomingResponse) => resolve((this.lastRegisterStatus = statusOf(response))),
          },
        })
        .catch(() => resolve(0));
    });
  }

  get registered(): boolean {
    return this.registerer.state === RegistererState.Registered;
  }

  nextInvitation(timeoutMs = 5000): Promise<Invitation> {
    const queued = this.invitations.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.options.user} got no INVITE`)), timeoutMs);
      this.#waiters.push((invitation) => {
        clearTimeout(timer);
        resolve(invitation);
      });
    });
  }

  /** Places a call; resolves with the Inviter and the final response status of the INVITE. */
  call(
    target: string,
    extraHeaders: string[] = [],
  ): { inviter: Inviter; final: Promise<{ status: number; reason: string }> } {
    const uri = UserAgent.makeURI(`sip:${target}@${this.options.domain}`);
    if (!uri) throw new Error('bad target');
    const inviter = new Inviter(this.ua, uri, { extraHeaders });
    const final = new Promise<{ status: number; reason: string }>((resolve) => {
      const done = (response: IncomingResponse) =>
        resolve({ status: statusOf(response), reason: response.message.reasonPhrase ?? '' });
      inviter
        .invite({ requestDelegate: { onAccept: done, onReject: done } })
        .catch(() => resolve({ status: 0, reason: 'exception' }));
    });
    return { inviter, final };
  }

  async stop(): Promise<void> {
    try {
      await this.ua.stop();
    } catch {
      // already stopped
    }
  }
}

/** Resolves when the session reaches the state. */
export function sessionState(session: Session, state: SessionState, timeoutMs = 5000): Promise<void> {
  if (session.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`session never reached ${state} (is ${session.state})`)),
      timeoutMs,
    );
    session.stateChange.addListener((next) => {
      if (next === state) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

/** BYE and its final response status (sip.js shows Terminated even after a 404/481). */
export function hangUp(session: Session): Promise<number> {
  return new Promise((resolve) => {
    const done = (response: IncomingResponse) => resolve(statusOf(response));
    session.bye({ requestDelegate: { onAccept: done, onReject: done } }).catch(() => resolve(0));
  });
}

export { Invitation, Inviter, SessionState };
