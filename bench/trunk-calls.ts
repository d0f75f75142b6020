/**
 * Bridged trunk calls through the real server and the rtpengine it spawns, with no browser: a raw
 * SIP-over-WebSocket client plays the agent's phone (signed in as agent1, registered with its
 * short-lived credentials, offering a real Chromium WebRTC SDP) and a UDP carrier written here
 * answers every INVITE at once with G.711. Prints:
 *   - set-up: INVITE sent by the phone → 200 received by the phone, p50/p95 over CALLS calls
 *     (one at a time, each hung up before the next);
 *   - load: LOAD calls up at once, the carrier sending 20 ms PCMU packets on each for SECONDS,
 *     with rtpengine's and the server's CPU (share of one core, and per bridged call).
 * The phone here does no ICE or DTLS, so rtpengine forwards nothing toward it: the load figure is
 * rtpengine receiving, decoding the RTP header of and dropping the carrier's media plus the
 * server holding the calls, a lower bound of a call with a real browser on the other leg.
 * Aim: set-up p95 ≤ 200 ms; 300 simultaneous bridged calls on this 2-core machine.
 *
 *   npm run bench:trunk            (CALLS=100 LOAD=300 SECONDS=10 npm run bench:trunk)
 */
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import { profileListSchema } from '../contracts/profiles';
import { sipCredentialsSchema } from '../contracts/sip';
import { parseMessage } from '../server/sip/message/parse-message';
import type { SipRequest } from '../server/sip/message/sip-message';
import { chromiumOffer } from '../server/media/rtpengine/sample-sdp.fixture';
import { digestAnswer, newCallId, newTag, RawSipClient, register } from '../test/sip/raw-sip-client';
import { freeSipPort } from '../test/support/free-sip-port';
import { startServer } from '../test/support/server-process';
import { ms, percentile } from './percentiles';

const CALLS = Number(process.env.CALLS ?? 100);
const LOAD = Number(process.env.LOAD ?? 300);
const SECONDS = Number(process.env.SECONDS ?? 10);
const CLOCK_TICKS = 100;

/** A carrier that answers every INVITE at once (200 with PCMU), BYE and OPTIONS with 200. */
class InstantCarrier {
  /** Per call: the rtpengine address its media goes to, and the socket it sends from. */
  readonly media = new Map<string, { socket: Socket; to: { address: string; port: number } }>();

  private constructor(
    private readonly socket: Socket,
    readonly port: number,
  ) {
    socket.on('message', (data, from) => void this.#receive(data, from.address, from.port));
  }

  static async start(): Promise<InstantCarrier> {
    const port = await freeSipPort();
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
    return new InstantCarrier(socket, port);
  }

  async #receive(data: Buffer, address: string, port: number): Promise<void> {
    const parsed = parseMessage(data);
    if (!parsed.ok || parsed.message.kind !== 'request') return;
    const request = parsed.message;
    const callId = request.headers.get('call-id') ?? '';
    if (request.method === 'ACK') return;
    if (request.method === 'INVITE') {
      let entry = this.media.get(callId);
      if (!entry) {
        const rtp = createSocket('udp4');
        await new Promise<void>((resolve) => rtp.bind(0, '127.0.0.1', resolve));
        const sdp = request.body.toString();
        const to = {
          address: /c=IN IP4 (\S+)/.exec(sdp)?.[1] ?? '127.0.0.1',
          port: Number(/m=audio (\d+)/.exec(sdp)?.[1] ?? 0),
        };
        entry = { socket: rtp, to };
        this.media.set(callId, entry);
      }
      const rtpPort = entry.socket.address().port;
      const answer = [
        'v=0',
        `o=carrier ${rtpPort} 1 IN IP4 127.0.0.1`,
        's=-',
        'c=IN IP4 127.0.0.1',
        't=0 0',
        `m=audio ${rtpPort} RTP/AVP 0 101`,
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-16',
        'a=ptime:20',
        'a=sendrecv',
        '',
      ].join('\r\n');
      this.#reply(
        request,
        address,
        port,
        200,
        [
          ['Contact', `<sip:carrier@127.0.0.1:${this.port}>`],
          ['Content-Type', 'application/sdp'],
        ],
        answer,
      );
      return;
    }
    if (request.method === 'BYE') {
      this.media.get(callId)?.socket.close();
      this.media.delete(callId);
    }
    this.#reply(request, address, port, 200);
  }

  #reply(
    request: SipRequest,
    address: string,
    port: number,
    status: number,
    headers: [string, string][] = [],
    body = '',
  ): void {
    let to = request.headers.get('to') ?? '';
    if (!/;\s*tag=/i.test(to)) to += `;tag=c${(request.headers.get('call-id') ?? '').slice(0, 8)}`;
    const text = [
      `SIP/2.0 ${status} OK`,
      ...request.headers.getAll('via').map((via) => `Via: ${via}`),
      `From: ${request.headers.get('from') ?? ''}`,
      `To: ${to}`,
      `Call-ID: ${request.headers.get('call-id') ?? ''}`,
      `CSeq: ${request.headers.get('cseq') ?? ''}`,
      ...headers.map(([name, value]) => `${name}: ${value}`),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
    this.socket.send(text, port, address);
  }

  /** 20 ms PCMU packets on every call until the returned function is called. */
  sendMedia(): () => void {
    const payload = Buffer.alloc(160, 0xff);
    let seq = 0;
    const timer = setInterval(() => {
      seq += 1;
      for (const { socket, to } of this.media.values()) {
        if (to.port === 0) continue;
        const header = Buffer.alloc(12);
        header.writeUInt8(0x80, 0);
        header.writeUInt8(0, 1);
        header.writeUInt16BE(seq & 0xffff, 2);
        header.writeUInt32BE((seq * 160) >>> 0, 4);
        header.writeUInt32BE(0x1234, 8);
        socket.send(Buffer.concat([header, payload]), to.port, to.address);
      }
    }, 20);
    return () => clearInterval(timer);
  }

  close(): void {
    for (const { socket } of this.media.values()) socket.close();
    this.socket.close();
  }
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function childRtpengine(parent: number): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && stat.includes('(rtpengine)')) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

async function main(): Promise<void> {
  const sipPort = await freeSipPort();
  const server = await startServer({
    buildWeb: false,
    env: { SIP_UDP_PORT: String(sipPort), RTPENGINE: 'spawn', DEFAULT_COUNTRY_CODE: '49', LOG_LEVEL: 'warn' },
  });
  const carrier = await InstantCarrier.start();
  const clients: RawSipClient[] = [];
  try {
    const signIn = async (username: string) => {
      const password = server.logins[username]?.password;
      if (!password) throw new Error(`The server printed no login for ${username}.`);
      const response = await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    };
    const admin = await signIn('admin');
    const api = async (method: string, route: string, body?: unknown) => {
      const response = await fetch(`${server.url}${route}`, {
        method,
        headers: { Cookie: admin, 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await response.json()) as unknown;
      if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
      return json;
    };
    const agents = profileListSchema
      .parse(await api('GET', '/api/profiles'))
      .items.find((profile) => profile.name === 'agents');
    if (!agents) throw new Error('The demo has no agents profile.');
    await api('PATCH', `/api/profiles/${agents.id}`, {
      flags: [...agents.flags, 'external'],
      channelLimit: 300,
    });
    await api('POST', '/api/trunks', {
      name: 'bench_carrier',
      host: '127.0.0.1',
      port: carrier.port,
      auth: { kind: 'ip', addresses: ['127.0.0.1'] },
      callerId: '+4930999000',
    });

    const agentCookie = await signIn('agent1');
    const credentials = sipCredentialsSchema.parse(
      await (await fetch(`${server.url}/api/sip/credentials`, { headers: { Cookie: agentCookie } })).json(),
    );
    const phone = await RawSipClient.connect(`${server.url.replace(/^http/, 'ws')}${credentials.wsPath}`);
    clients.push(phone);
    const registered = await register(phone, {
      domain: credentials.domain,
      user: credentials.authorizationUser,
      authUser: credentials.username,
      password: credentials.password,
    });
    if (registered.status !== 200) throw new Error(`REGISTER answered ${registered.status}.`);

    let count = 0;
    /** One call: INVITE → 200 (answering a 407 once), ACK; returns the time and a hang-up. */
    const call = async (): Promise<{ ms: number; hangUp: () => Promise<void> }> => {
      count += 1;
      const number = `+4930${String(5_000_000 + count)}`;
      const uri = `sip:${number}@${credentials.domain}`;
      const callId = newCallId();
      const from = `<${credentials.aor}>;tag=${newTag()}`;
      const sdp = chromiumOffer.replace(/51789/g, String(20_000 + (count % 40_000)));
      const invite = (cseq: number, auth: [string, string][] = []) =>
        phone.send({
          method: 'INVITE',
          uri,
          from,
          to: `<${uri}>`,
          callId,
          cseq,
          headers: [['Contact', phone.contact], ['Content-Type', 'application/sdp'], ...auth],
          body: sdp,
        });
      const started = performance.now();
      invite(1);
      let final = await phone.response(callId, 'INVITE', true, 10_000);
      let cseq = 1;
      if (final.status === 407) {
        cseq = 2;
        phone.send({ method: 'ACK', uri, from, to: final.headers.get('to') ?? '', callId, cseq: 1 });
        invite(2, [
          [
            'Proxy-Authorization',
            digestAnswer({
              challenge: final.headers.get('proxy-authenticate') ?? '',
              username: credentials.username,
              password: credentials.password,
              method: 'INVITE',
              uri,
            }),
          ],
        ]);
        final = await phone.response(callId, 'INVITE', true, 10_000);
      }
      const elapsed = performance.now() - started;
      if (final.status !== 200) throw new Error(`The call was answered ${final.status} ${final.reason}.`);
      const to = final.headers.get('to') ?? '';
      phone.send({ method: 'ACK', uri, from, to, callId, cseq });
      return {
        ms: elapsed,
        async hangUp() {
          phone.send({ method: 'BYE', uri, from, to, callId, cseq: cseq + 1 });
          await phone.response(callId, 'BYE', true, 10_000);
        },
      };
    };

    // Set-up, one call at a time (the first starts rtpengine and is left out).
    await (await call()).hangUp();
    const setups: number[] = [];
    for (let i = 0; i < CALLS; i += 1) {
      const placed = await call();
      setups.push(placed.ms);
      await placed.hangUp();
    }
    console.log(
      `set-up, INVITE → 200 at the phone over ${CALLS} calls: p50 ${ms(percentile(setups, 50))}, p95 ${ms(percentile(setups, 95))}, max ${ms(Math.max(...setups))}`,
    );

    // Load: LOAD calls at once with media from the carrier.
    const serverPid = server.pid();
    const rtpengine = serverPid === null ? null : childRtpengine(serverPid);
    if (serverPid === null || rtpengine === null)
      throw new Error('The server or its rtpengine is not running.');
    const up: Awaited<ReturnType<typeof call>>[] = [];
    const upStarted = performance.now();
    for (let i = 0; i < LOAD; i += 10)
      up.push(...(await Promise.all(Array.from({ length: Math.min(10, LOAD - i) }, () => call()))));
    const setUpAll = performance.now() - upStarted;
    const loadSetups = up.map((placed) => placed.ms);
    const stop = carrier.sendMedia();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before = { server: cpuSeconds(serverPid), rtpengine: cpuSeconds(rtpengine), at: performance.now() };
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1_000));
    const wall = (performance.now() - before.at) / 1000;
    const serverShare = (cpuSeconds(serverPid) - before.server) / wall;
    const rtpengineShare = (cpuSeconds(rtpengine) - before.rtpengine) / wall;
    stop();
    const pct = (share: number, digits = 1) => `${(share * 100).toFixed(digits)} %`;
    console.log(
      `load, ${up.length} bridged calls up (set up 10 at a time in ${(setUpAll / 1000).toFixed(1)} s, INVITE → 200 p50 ${ms(percentile(loadSetups, 50))}, p95 ${ms(percentile(loadSetups, 95))}), carrier sending 20 ms PCMU on each for ${SECONDS} s:`,
    );
    console.log(
      `  rtpengine ${pct(rtpengineShare)} of a core (${pct(rtpengineShare / up.length, 3)} per call), server ${pct(serverShare)} (${pct(serverShare / up.length, 3)} per call)`,
    );
    for (let i = 0; i < up.length; i += 20)
      await Promise.all(up.slice(i, i + 20).map((placed) => placed.hangUp()));
  } finally {
    for (const client of clients) client.close();
    carrier.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
