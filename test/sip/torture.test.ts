import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { parseMessage } from '../../server/sip/message/parse-message';
import { mpart01Binary, tortureMessages } from '../../server/sip/message/rfc4475.fixture';
import type { SipMessage } from '../../server/sip/message/sip-message';
import { startEdgeServer, type EdgeTestServer } from './edge-test-server';
import { newCallId, newTag, RawSipClient, register } from './raw-sip-client';

// RFC 4475's torture messages against the running edge, one WebSocket message each (RFC 7118),
// on a connection that has not signed in: each gets the answer RFC 4475 and RFC 3261 ask for,
// or silence where the RFC allows it (a response that matches no transaction).

let server: EdgeTestServer;

beforeAll(async () => {
  server = await startEdgeServer();
});
afterAll(async () => {
  await server.stop();
});

/** The status line of what the edge sent back. */
interface Answer {
  status: number;
  reason: string;
  /** Parsed, unless it echoes headers too broken to parse (a 400 copies what it got). */
  message: SipMessage | null;
}

/** A raw socket that keeps the answers it receives, in text or binary frames. */
class Socket {
  readonly received: Answer[] = [];
  #waiting: (() => void) | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary) => {
      const text = data.toString('utf8');
      const statusLine = /^SIP\/2\.0 ([0-9]{3}) ([^\r\n]*)/.exec(text);
      if (!statusLine) throw new Error(`the edge sent something other than a response: ${text}`);
      const result = parseMessage(isBinary ? data : text);
      this.received.push({
        status: Number(statusLine[1]),
        reason: statusLine[2] ?? '',
        message: result.ok ? result.message : null,
      });
      this.#waiting?.();
    });
  }

  static open(url: string): Promise<Socket> {
    const ws = new WebSocket(url, 'sip');
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Socket(ws)));
      ws.once('error', reject);
    });
  }

  send(payload: string | Buffer, binary = typeof payload !== 'string'): void {
    this.ws.send(payload, { binary });
  }

  /** The first answer received within the time, or null. */
  async first(ms: number): Promise<Answer | null> {
    if (this.received.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.#waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.received[0] ?? null;
  }

  close(): void {
    this.ws.close();
  }
}

/** Sends one frame on a fresh connection; the answer, or null after `silenceMs` of silence. */
async function answerTo(payload: string | Buffer, binary?: boolean, silenceMs = 400): Promise<Answer | null> {
  const socket = await Socket.open(server.wsUrl);
  try {
    socket.send(payload, binary);
    return await socket.first(silenceMs);
  } finally {
    socket.close();
  }
}

describe('RFC 4475 torture messages sent to the edge', () => {
  it.each(tortureMessages.map((t) => [t.name, t.section, t.edge ?? 'silence', t] as const))(
    '%s (%s) gets %s',
    async (_name, _section, _expected, { message, frame, edge }) => {
      const answer = await answerTo(message, frame === 'binary', edge === null ? 400 : 5000);
      expect(answer?.status ?? null).toBe(edge);
      if (answer && answer.status >= 400) {
        // A sentence or the RFC's phrase, never an empty reason.
        expect(answer.reason.length).toBeGreaterThan(3);
      }
    },
  );

  it('says what was wrong with a request line it refuses', async () => {
    const lwsruri = tortureMessages.find((t) => t.name === 'lwsruri');
    const answer = await answerTo(lwsruri?.message ?? '');
    expect(answer?.reason).toBe('Malformed Request-URI (it contains a space)');
    expect(answer?.message?.headers.get('call-id')).toMatch(/^lwsruri\./);
  });

  it('answers an unknown URI scheme with 416 and Proxy-Require with 420 before asking for credentials', async () => {
    const unkscm = await answerTo(tortureMessages.find((t) => t.name === 'unkscm')?.message ?? '');
    expect(unkscm?.reason).toMatch(/nobodyknowsthisscheme/i);
    const bext01 = await answerTo(tortureMessages.find((t) => t.name === 'bext01')?.message ?? '');
    expect(bext01?.status).toBe(420);
    expect(bext01?.message?.headers.getAll('unsupported')).toEqual([
      'noProxiesSupportThis',
      'norDoAnyProxiesSupportThis',
    ]);
    expect(bext01?.message?.headers.has('proxy-authenticate')).toBe(false);
  });

  it('refuses to forward Max-Forwards 0 (483) and an unknown Require on what it answers itself (420)', async () => {
    const client = await RawSipClient.connect(server.wsUrl);
    try {
      const domain = server.config.sipDomain;
      const from = `<sip:agent1@${domain}>;tag=${newTag()}`;
      const inviteId = newCallId();
      const invite = client.build({
        method: 'INVITE',
        uri: `sip:agent2@${domain}`,
        from,
        to: `<sip:agent2@${domain}>`,
        callId: inviteId,
        cseq: 1,
      });
      client.sendText(invite.replace('Max-Forwards: 70', 'Max-Forwards: 0'));
      expect((await client.response(inviteId, 'INVITE')).status).toBe(483);

      const callId = newCallId();
      client.send({
        method: 'REGISTER',
        uri: `sip:${domain}`,
        from,
        to: `<sip:agent1@${domain}>`,
        callId,
        cseq: 1,
        headers: [['Require', 'teleportation']],
      });
      const refused = await client.response(callId, 'REGISTER');
      expect([refused.status, refused.headers.get('unsupported')]).toEqual([420, 'teleportation']);
    } finally {
      client.close();
    }
  });

  it('takes a text message in a binary frame, and stays silent on a stray response', async () => {
    const lwsdisp = tortureMessages.find((t) => t.name === 'lwsdisp')?.message ?? '';
    expect((await answerTo(Buffer.from(lwsdisp), true))?.status).toBe(407);
    // The stray response is absorbed and the connection keeps serving.
    const socket = await Socket.open(server.wsUrl);
    try {
      socket.send(tortureMessages.find((t) => t.name === 'unreason')?.message ?? '');
      socket.send(lwsdisp);
      const answer = await socket.first(5000);
      expect(answer?.message?.headers.get('call-id')).toMatch(/^lwsdisp\./);
      expect(socket.received).toHaveLength(1);
    } finally {
      socket.close();
    }
  });

  it('forwards a binary body byte for byte, in a binary frame (mpart01 between two signed-in phones)', async () => {
    const domain = server.config.sipDomain;
    const alice = await RawSipClient.connect(server.wsUrl);
    const bob = await RawSipClient.connect(server.wsUrl);
    try {
      for (const [client, user] of [
        [alice, 'agent1'],
        [bob, 'agent2'],
      ] as const) {
        const registered = await register(client, {
          domain,
          user,
          password: server.passwords.get(user) ?? '',
        });
        expect(registered.status).toBe(200);
      }
      const frames: { data: Buffer; binary: boolean }[] = [];
      bob.ws.on('message', (data: Buffer, binary) => frames.push({ data, binary }));
      const mpart01 = tortureMessages.find((t) => t.name === 'mpart01')?.message;
      if (!Buffer.isBuffer(mpart01)) throw new Error('mpart01 is bytes');
      const callId = newCallId();
      const message = mpart01
        .toString('latin1')
        .replace('MESSAGE sip:kumiko@example.org', `MESSAGE sip:agent2@${domain}`)
        .replace('Route: <sip:127.0.0.1:5080>\r\n', '')
        .replace(/Via: [^\r]*/, `Via: SIP/2.0/WS ${alice.host};branch=z9hG4bK${newTag()}`)
        .replace('To: <sip:kumiko@example.org>', `To: <sip:agent2@${domain}>`)
        .replace('From: <sip:fluffy@example.com>', `From: <sip:agent1@${domain}>`)
        .replace(/Call-ID: [^\r]*/, `Call-ID: ${callId}`);
      alice.ws.send(Buffer.from(message, 'latin1'), { binary: true });
      const forwarded = await bob.request('MESSAGE');
      const frame = frames.find((f) => f.data.includes(callId));
      expect(frame?.binary).toBe(true);
      const body = frame?.data.subarray(frame.data.indexOf('\r\n\r\n') + 4) ?? Buffer.alloc(0);
      expect(body.includes(mpart01Binary)).toBe(true);
      expect(String(body.length)).toBe(forwarded.headers.get('content-length'));
      bob.answer(forwarded, 200, 'OK', { toTag: newTag() });
      expect((await alice.response(callId, 'MESSAGE')).status).toBe(200);
    } finally {
      alice.close();
      bob.close();
    }
  });
});
