import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../contracts/events';
import { signInLimiterFor } from '../../server/auth/sign-in-limiter';
import { SessionCache } from '../../server/auth/session-cache';
import { loadConfig } from '../../server/config';
import { Directory } from '../../server/directory/directory';
import { EventBus } from '../../server/events/event-bus';
import { createLogger } from '../../server/log';
import type { SipMessage, SipRequest } from '../../server/sip/message/sip-message';
import { createSipEdge, type SipEdge, type SipListening } from '../../server/sip/sip-edge';
import type { SipConnection } from '../../server/sip/transport/transport';
import { ipAuthenticationRefusal } from '../../server/sip/trunks/ip-authentication';
import type { TrunkConfig, TrunkRouter, TrunkStatusBoard } from '../../server/sip/trunks/trunk-config';
import type { TrunkTiming } from '../../server/sip/trunks/trunk-timing';
import type { Database } from '../../server/store/database';
import { freshTestDatabase } from '../../server/store/test-database';
import { RawCarrier } from './raw-carrier';

interface TrunkEdge {
  edge: SipEdge;
  router: TrunkRouter;
  status: TrunkStatusBoard;
  sip: SipListening;
  /** Every `trunk` event the edge published. */
  events: LiveEvent[];
  stop(): Promise<void>;
}

const fast: Partial<TrunkTiming> = { optionsIntervalMs: 250, optionsTimeoutMs: 500, backoffMinMs: 800 };

/** The real SIP edge (UDP and TCP on free loopback ports) with these trunks and short timings. */
async function startTrunkEdge(database: Database, trunks: TrunkConfig[], timing = fast): Promise<TrunkEdge> {
  // Port 0 in the config itself: any free port (the variable's 0 would turn SIP over UDP/TCP off).
  const config = { ...loadConfig({ LOG_LEVEL: 'error', HOST: '127.0.0.1' }), sipUdpPort: 0, sipTcpPort: 0 };
  const log = createLogger(config.logLevel);
  const bus = new EventBus();
  const directory = new Directory({ db: database.db, events: bus, log });
  const sessions = new SessionCache({ db: database.db, events: bus });
  const edge = createSipEdge({
    config,
    db: database.db,
    log,
    events: bus,
    limiter: signInLimiterFor(config),
    accounts: directory,
    sessions,
    trunks: { load: async () => trunks },
    trunkTiming: timing,
  });
  const events: LiveEvent[] = [];
  bus.subscribe((event) => event.entity === 'trunk' && events.push(event));
  const sip = await edge.listen();
  if (!edge.trunkRouter) throw new Error('the edge has no trunk router');
  return {
    edge,
    router: edge.trunkRouter,
    status: edge.trunkStatus,
    sip,
    events,
    stop: once(async () => {
      await edge.close();
      directory.close();
      sessions.close();
    }),
  };
}

function trunk(id: number, fields: Partial<TrunkConfig>): TrunkConfig {
  return {
    id,
    name: `Carrier ${id}`,
    host: '127.0.0.1',
    port: 5060,
    transport: 'udp',
    auth: { kind: 'register', username: 'acme', password: 'right password' },
    callerId: '+4930123456',
    numberFormat: { kind: 'e164' },
    prefixes: ['+'],
    priority: 100,
    enabled: true,
    ...fields,
  };
}

// One database for the file: the edges here only write call records and read their secret.
let database: Database;
beforeAll(async () => {
  database = await freshTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function carrierAt(
  address = '127.0.0.1',
  password?: string,
  transport: 'udp' | 'tcp' = 'udp',
): Promise<RawCarrier> {
  const carrier = await RawCarrier.start({ address, password, transport });
  cleanups.push(() => carrier.close());
  return carrier;
}

async function edgeWith(trunks: TrunkConfig[], carriers: RawCarrier[]): Promise<TrunkEdge> {
  const started = await startTrunkEdge(database, trunks);
  for (const carrier of carriers) carrier.edgePort = started.sip.udp ?? 0;
  cleanups.push(() => started.stop());
  return started;
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () => (done ??= action());
}

describe('trunk links against a carrier over UDP', () => {
  it('registers with digest, re-registers before the granted 2 s run out, and un-REGISTERs on close', async () => {
    const carrier = await carrierAt();
    // `localhost` goes through the system resolver.
    const { status, sip, stop } = await edgeWith(
      [trunk(1, { host: 'localhost', port: carrier.port })],
      [carrier],
    );
    await expect.poll(() => status.statusOf(1).registration?.state, { timeout: 3000 }).toBe('registered');
    const [first, answered] = carrier.registers;
    expect(first?.credentials).toBe('none');
    expect(answered?.credentials).toBe('right');
    const request = answered!.request;
    expect(request.uri).toBe(`sip:localhost:${carrier.port}`);
    expect(request.headers.get('to')).toBe('<sip:acme@localhost>');
    expect(request.headers.get('from')).toMatch(/^<sip:acme@localhost>;tag=/);
    expect(request.headers.get('contact')).toBe(`<sip:trunk-1@127.0.0.1:${sip.udp}>`);
    expect(request.headers.get('expires')).toBe('300');
    expect(request.headers.get('cseq')).toBe('2 REGISTER');
    const expiresAt = Date.parse(status.statusOf(1).registration?.expiresAt ?? '');
    expect(expiresAt - Date.now()).toBeGreaterThan(1000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(2000);

    // Granted 2 s: the refresh comes at about 80 % of it, on the same Call-ID.
    await expect
      .poll(() => carrier.registers.filter((r) => r.credentials === 'right').length, { timeout: 3000 })
      .toBeGreaterThanOrEqual(2);
    const refreshes = carrier.registers.filter((r) => r.credentials === 'right');
    const gap = refreshes[1]!.at - refreshes[0]!.at;
    expect(gap).toBeGreaterThan(1300);
    expect(gap).toBeLessThan(2000);
    expect(refreshes[1]!.request.headers.get('call-id')).toBe(request.headers.get('call-id'));
    expect(refreshes[1]!.request.headers.get('cseq')).toBe('4 REGISTER');
    expect(status.statusOf(1)).toMatchObject({ state: 'up', lastError: null });

    const before = carrier.registers.length;
    await stop();
    const last = carrier.registers.slice(before).filter((r) => r.credentials === 'right');
    expect(last.map((r) => r.request.headers.get('expires'))).toEqual(['0']);
    expect(last[0]!.request.headers.get('contact')).toBe(`<sip:trunk-1@127.0.0.1:${sip.udp}>`);
  });

  it('answers a challenge once: wrong credentials fail with a sentence and are retried after a doubling pause', async () => {
    const carrier = await carrierAt('127.0.0.1', 'another password');
    const { status } = await edgeWith([trunk(2, { port: carrier.port })], [carrier]);
    await expect.poll(() => status.statusOf(2).registration?.state, { timeout: 3000 }).toBe('failed');
    expect(status.statusOf(2).lastError).toBe(
      `127.0.0.1:${carrier.port} refused the trunk's username or password (401 Unauthorized again after the challenge was answered); check them`,
    );
    // Two more attempts: 0.8 s, then 1.6 s after the failure before.
    await expect.poll(() => carrier.registers.length, { timeout: 4000 }).toBeGreaterThanOrEqual(6);
    const attempts = carrier.registers.filter((r) => r.credentials === 'none').map((r) => r.at);
    const answers = carrier.registers.filter((r) => r.credentials === 'wrong').map((r) => r.at);
    // Each attempt answered the challenge exactly once.
    expect(carrier.registers.slice(0, 6).map((r) => r.credentials)).toEqual([
      'none',
      'wrong',
      'none',
      'wrong',
      'none',
      'wrong',
    ]);
    expect(attempts[1]! - answers[0]!).toBeGreaterThan(700);
    expect(attempts[2]! - answers[1]!).toBeGreaterThan(1500);
    expect(status.statusOf(2).registration).toEqual({ state: 'failed', expiresAt: null });
  });

  it('is up while OPTIONS are answered, down with a sentence when they stop, up with the 503 said', async () => {
    const carrier = await carrierAt();
    const ip = trunk(3, { port: carrier.port, auth: { kind: 'ip', addresses: ['127.0.0.1'] } });
    const { status, events } = await edgeWith([ip], [carrier]);
    await expect.poll(() => status.statusOf(3).state, { timeout: 2000 }).toBe('up');
    expect(status.statusOf(3).roundTripMs).toEqual(expect.any(Number));
    expect(status.statusOf(3).registration).toBeNull();
    const options = carrier.options[0]!;
    expect(options.uri).toBe(`sip:127.0.0.1:${carrier.port}`);
    expect(options.headers.get('max-forwards')).toBe('70');
    // More keep-alives with nothing new: no more events.
    const heard = events.length;
    const sent = carrier.options.length;
    await expect.poll(() => carrier.options.length, { timeout: 2000 }).toBeGreaterThanOrEqual(sent + 3);
    expect(events.length).toBe(heard);

    carrier.optionsStatus = null;
    await expect.poll(() => status.statusOf(3).state, { timeout: 2000 }).toBe('down');
    expect(status.statusOf(3)).toMatchObject({
      roundTripMs: null,
      lastError: `No answer to OPTIONS from 127.0.0.1:${carrier.port} within 0.5 s`,
    });
    expect(events.slice(heard)).toEqual([{ entity: 'trunk', id: 3 }]);

    carrier.optionsStatus = 503;
    await expect.poll(() => status.statusOf(3).state, { timeout: 2000 }).toBe('up');
    expect(status.statusOf(3).lastError).toBe(
      `127.0.0.1:${carrier.port} answered OPTIONS with 503 Service Unavailable`,
    );
  });

  it('tells requests from an ip trunk, a registered trunk and strangers apart', async () => {
    const registrar = await carrierAt('127.0.0.1');
    const ipCarrier = await carrierAt('127.0.0.2');
    const stranger = await carrierAt('127.0.0.3');
    const samePlaceOtherPort = await carrierAt('127.0.0.1');
    const { edge, router, status } = await edgeWith(
      [
        trunk(4, { port: registrar.port }),
        trunk(5, { host: '127.0.0.2', port: ipCarrier.port, auth: { kind: 'ip', addresses: ['127.0.0.2'] } }),
      ],
      [registrar, ipCarrier, stranger, samePlaceOtherPort],
    );
    await expect.poll(() => status.statusOf(4).registration?.state, { timeout: 3000 }).toBe('registered');
    const seen: { request: SipRequest; connection: SipConnection }[] = [];
    const receive = edge.layer.receive.bind(edge.layer);
    edge.layer.receive = (message: SipMessage, connection: SipConnection) => {
      if (message.kind === 'request' && message.method === 'INVITE')
        seen.push({ request: message, connection });
      receive(message, connection);
    };
    for (const [name, carrier] of [
      ['registrar', registrar],
      ['ip', ipCarrier],
      ['stranger', stranger],
      ['other-port', samePlaceOtherPort],
    ] as const) {
      carrier.send(inviteFrom(carrier, name));
    }
    await expect.poll(() => seen.length, { timeout: 2000 }).toBe(4);
    const verdicts = Object.fromEntries(
      seen.map(({ request, connection }) => [
        request.headers.get('call-id'),
        {
          trunk: router.trunkOf(connection)?.id ?? null,
          refusal: ipAuthenticationRefusal(request, connection, router)?.reason ?? null,
        },
      ]),
    );
    const refused = 'Forbidden: this address is not a trunk of this server';
    expect(verdicts).toEqual({
      registrar: { trunk: 4, refusal: null },
      ip: { trunk: 5, refusal: null },
      stranger: { trunk: null, refusal: refused },
      'other-port': { trunk: null, refusal: refused },
    });
  });

  it("answers a carrier's own OPTIONS without a challenge, and challenges a stranger's", async () => {
    const ipCarrier = await carrierAt('127.0.0.2');
    const stranger = await carrierAt('127.0.0.3');
    await edgeWith(
      [trunk(6, { host: '127.0.0.2', port: ipCarrier.port, auth: { kind: 'ip', addresses: ['127.0.0.2'] } })],
      [ipCarrier, stranger],
    );
    ipCarrier.send(optionsFrom(ipCarrier, 'probe-ip'));
    stranger.send(optionsFrom(stranger, 'probe-stranger'));
    const answerTo = (carrier: RawCarrier, callId: string) =>
      carrier.responses.find(
        (r) => r.headers.get('call-id') === callId && r.headers.get('cseq') === '7 OPTIONS',
      )?.status ?? null;
    await expect.poll(() => answerTo(ipCarrier, 'probe-ip'), { timeout: 2000 }).toBe(200);
    await expect.poll(() => answerTo(stranger, 'probe-stranger'), { timeout: 2000 }).toBe(407);
  });
});

describe('trunk links against a carrier over TCP', () => {
  it('registers and keeps alive on one connection, and opens a new one and registers again when it drops', async () => {
    const carrier = await carrierAt('127.0.0.1', undefined, 'tcp');
    carrier.grantSeconds = 60;
    const { status, sip } = await edgeWith([trunk(6, { port: carrier.port, transport: 'tcp' })], [carrier]);
    await expect.poll(() => status.statusOf(6).registration?.state, { timeout: 3000 }).toBe('registered');
    await expect.poll(() => status.statusOf(6).state, { timeout: 2000 }).toBe('up');
    const register = carrier.registers.find((r) => r.credentials === 'right')!.request;
    expect(register.uri).toBe(`sip:127.0.0.1:${carrier.port};transport=tcp`);
    expect(register.headers.get('contact')).toBe(`<sip:trunk-6@127.0.0.1:${sip.tcp};transport=tcp>`);
    expect(register.headers.get('via')).toMatch(/^SIP\/2\.0\/TCP /);
    expect(carrier.connections).toHaveLength(1);

    const registered = carrier.registers.length;
    const dropped = performance.now();
    carrier.dropConnections();
    await expect
      .poll(() => carrier.registers.slice(registered).filter((r) => r.credentials === 'right').length, {
        timeout: 2000,
      })
      .toBe(1);
    // At once on the new connection, not at the refresh 48 s later.
    expect(performance.now() - dropped).toBeLessThan(1500);
    expect(carrier.connections).toHaveLength(2);
    expect(status.statusOf(6).registration?.state).toBe('registered');
  });
});

function inviteFrom(carrier: RawCarrier, callId: string): string {
  return `INVITE sip:+493012345678@127.0.0.1:${carrier.edgePort} SIP/2.0
Via: SIP/2.0/UDP ${carrier.address}:${carrier.port};branch=z9hG4bK${callId}x1;rport
Max-Forwards: 70
From: <sip:+4940555@${carrier.address}>;tag=${callId}
To: <sip:+493012345678@127.0.0.1>
Call-ID: ${callId}
CSeq: 1 INVITE
Contact: <sip:+4940555@${carrier.address}:${carrier.port}>
Content-Length: 0

`;
}

function optionsFrom(carrier: RawCarrier, callId: string): string {
  return `OPTIONS sip:127.0.0.1:${carrier.edgePort} SIP/2.0
Via: SIP/2.0/UDP ${carrier.address}:${carrier.port};branch=z9hG4bK${callId}x1;rport
Max-Forwards: 70
From: <sip:ping@${carrier.address}>;tag=${callId}
To: <sip:127.0.0.1>
Call-ID: ${callId}
CSeq: 7 OPTIONS
Content-Length: 0

`;
}
