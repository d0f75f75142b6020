import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../events/event-bus';
import { createLogger } from '../../log';
import { EdgeAddress } from '../edge-address';
import { parseMessage } from '../message/parse-message';
import { serializeMessage } from '../message/serialize-message';
import type { SipRequest, SipResponse } from '../message/sip-message';
import { FakeConnection } from '../transaction/fake-connection.fixture';
import { TransactionLayer } from '../transaction/transaction-layer';
import { ipAuthenticationRefusal, looksLikePhoneNumber, NOT_A_TRUNK_REASON } from './ip-authentication';
import { orderRoutes } from './route-order';
import type { TrunkConfig } from './trunk-config';
import { TrunkLinks } from './trunk-links';

function trunk(id: number, fields: Partial<TrunkConfig> = {}): TrunkConfig {
  return {
    id,
    name: `Trunk ${id}`,
    host: '192.0.2.10',
    port: 5060,
    transport: 'udp',
    auth: { kind: 'ip', addresses: ['192.0.2.10'] },
    callerId: '+4930123456',
    numberFormat: { kind: 'e164' },
    prefixes: ['+'],
    priority: 100,
    enabled: true,
    ...fields,
  };
}

function parse<T extends 'request' | 'response'>(
  kind: T,
  text: string,
): T extends 'request' ? SipRequest : SipResponse {
  const result = parseMessage(text.replace(/\n/g, '\r\n'));
  if (!result.ok || result.message.kind !== kind) throw new Error(`not a ${kind}: ${text}`);
  return result.message as T extends 'request' ? SipRequest : SipResponse;
}

function invite(user: string, extra = ''): SipRequest {
  return parse(
    'request',
    `INVITE sip:${user}@198.51.100.1 SIP/2.0
Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKabc
Max-Forwards: 70
From: <sip:+4930999@192.0.2.10>;tag=1
To: <sip:${user}@198.51.100.1>
Call-ID: c1
CSeq: 1 INVITE
${extra}Content-Length: 0

`,
  );
}

describe('route order', () => {
  it('puts the longest matching prefix first, then lower priority, and down trunks last', () => {
    const trunks = [
      trunk(1, { prefixes: ['+'], priority: 1 }),
      trunk(2, { prefixes: ['+49'], priority: 50 }),
      trunk(3, { prefixes: ['+4930'], priority: 90 }),
      trunk(4, { prefixes: ['+49'], priority: 10 }),
      trunk(5, { prefixes: ['+4930'], priority: 5 }),
      trunk(6, { prefixes: ['+44'], priority: 0 }),
      trunk(7, { prefixes: ['+49'], priority: 0, enabled: false }),
    ];
    const down = new Set([5]);
    expect(orderRoutes(trunks, '+493012345678', (id) => down.has(id)).map((t) => t.id)).toEqual([
      3, 4, 2, 1, 5,
    ]);
    expect(orderRoutes(trunks, '+441234567', () => false).map((t) => t.id)).toEqual([6, 1]);
    expect(orderRoutes([trunk(1, { prefixes: ['+44'] })], '+493012345678', () => false)).toEqual([]);
  });
});

describe('phone numbers in a Request-URI', () => {
  it('are + and digits, or only digits longer than any extension', () => {
    expect(looksLikePhoneNumber('+493012345678')).toBe(true);
    expect(looksLikePhoneNumber('+1')).toBe(true);
    expect(looksLikePhoneNumber('03012345678')).toBe(true);
    expect(looksLikePhoneNumber('1001')).toBe(false);
    expect(looksLikePhoneNumber('1001', 4)).toBe(true);
    expect(looksLikePhoneNumber('alice')).toBe(false);
    expect(looksLikePhoneNumber('+49 30')).toBe(false);
    expect(looksLikePhoneNumber(null)).toBe(false);
  });
});

describe('the edge router over its trunk links', () => {
  const events = new EventBus();
  let links: TrunkLinks | null = null;

  afterEach(async () => {
    await links?.close();
    links = null;
  });

  async function start(configs: TrunkConfig[]): Promise<{ configs: TrunkConfig[] }> {
    const source = { configs, load: async () => source.configs };
    links = new TrunkLinks({
      source,
      events,
      log: createLogger('silent'),
      layer: new TransactionLayer(),
      address: new EdgeAddress('switchboard.test'),
      // Nothing is sent: neither transport is on, so every enabled trunk goes down with a sentence.
      timing: { optionsIntervalMs: 60_000 },
    });
    await links.start({ udp: null, tcp: null });
    return source;
  }

  it('knows an ip trunk by its source address, and IP authentication refuses anyone else', async () => {
    await start([
      trunk(1, { auth: { kind: 'ip', addresses: ['192.0.2.10', '2001:db8::7'] } }),
      trunk(2, { auth: { kind: 'ip', addresses: ['192.0.2.99'] }, enabled: false }),
    ]);
    const router = links!;
    const carrier = new FakeConnection('udp', 'c1', '192.0.2.10');
    const stranger = new FakeConnection('udp', 'c2', '203.0.113.5');
    const disabled = new FakeConnection('tcp', 'c3', '192.0.2.99');
    expect(router.trunkOf(carrier)?.id).toBe(1);
    expect(router.trunkOf(new FakeConnection('tcp', 'c4', '2001:DB8::7'))?.id).toBe(1);
    expect(router.trunkOf(stranger)).toBeNull();
    expect(router.trunkOf(disabled)).toBeNull();
    expect(router.trunkOf(new FakeConnection('ws', 'c5', '192.0.2.10'))).toBeNull();

    expect(ipAuthenticationRefusal(invite('+493012345678'), carrier, router)).toBeNull();
    expect(ipAuthenticationRefusal(invite('+493012345678'), stranger, router)).toEqual({
      status: 403,
      reason: NOT_A_TRUNK_REASON,
    });
    expect(ipAuthenticationRefusal(invite('03012345678'), disabled, router)?.status).toBe(403);
    expect(ipAuthenticationRefusal(invite('+493012345678'), stranger, null)?.status).toBe(403);
    // A desk phone calling an extension or a name, or answering a challenge, is judged by digest.
    expect(ipAuthenticationRefusal(invite('1001'), stranger, router)).toBeNull();
    expect(ipAuthenticationRefusal(invite('alice'), stranger, router)).toBeNull();
    expect(
      ipAuthenticationRefusal(
        invite('+493012345678', 'Proxy-Authorization: Digest username="alice", realm="x"\n'),
        stranger,
        router,
      ),
    ).toBeNull();
    expect(
      ipAuthenticationRefusal(invite('+493012345678'), new FakeConnection('ws', 'w', '203.0.113.5'), router),
    ).toBeNull();
    const inDialog = invite('+493012345678');
    inDialog.headers.set('To', '<sip:+493012345678@198.51.100.1>;tag=x');
    expect(ipAuthenticationRefusal(inDialog, stranger, router)).toBeNull();
  });

  it('says why a trunk is down, shows disabled ones as disabled, and counts them all', async () => {
    await start([trunk(1), trunk(2, { enabled: false }), trunk(3, { transport: 'tcp' })]);
    const router = links!;
    await expect.poll(() => router.statusOf(1).state).toBe('down');
    expect(router.statusOf(1).lastError).toBe(
      'The trunk uses UDP, but SIP over UDP is off on this server (SIP_UDP_PORT)',
    );
    await expect.poll(() => router.statusOf(3).lastError).toMatch(/SIP over TCP is off/);
    expect(router.statusOf(2)).toEqual({
      state: 'disabled',
      roundTripMs: null,
      checkedAt: null,
      lastError: null,
      registration: null,
    });
    expect(router.statusOf(99).state).toBe('unknown');
    expect(router.count).toBe(3);
    expect(router.isUp(1)).toBe(false);
    expect(router.routesFor('+4930123456').map((t) => t.id)).toEqual([1, 3]);
    await expect(router.connectionFor(trunk(99))).rejects.toThrow(
      'The trunk Trunk 99 is no longer configured',
    );
  });

  it('follows trunk events: new, changed and removed trunks; routing changes keep the link', async () => {
    const source = await start([trunk(1, { prefixes: ['+49'] }), trunk(2)]);
    const router = links!;
    await expect.poll(() => router.statusOf(1).state).toBe('down');
    const heard: unknown[] = [];
    const stop = events.subscribe((event) => heard.push(event));
    source.configs = [
      trunk(1, { prefixes: ['+44'] }),
      trunk(3, { auth: { kind: 'ip', addresses: ['192.0.2.30'] } }),
    ];
    events.publish({ entity: 'trunk', id: 3 });
    await router.reload();
    expect(router.count).toBe(2);
    expect(router.routesFor('+4930123456').map((t) => t.id)).toEqual([3]);
    // Trunk 1 kept its link (still down, no new event for it); trunk 3's link is new.
    expect(router.statusOf(1).state).toBe('down');
    expect(router.statusOf(2).state).toBe('unknown');
    await expect.poll(() => router.statusOf(3).state).toBe('down');
    // Both down now: the longer prefix first.
    expect(router.routesFor('+441234567').map((t) => t.id)).toEqual([1, 3]);
    // Ours and the one trunk 3's link published when it went down.
    expect(heard.filter((event) => (event as { id: number }).id === 3).length).toBeGreaterThanOrEqual(2);
    expect(heard.filter((event) => (event as { id: number }).id === 1)).toEqual([]);
    stop();
  });

  it('answers a carrier challenge with a register trunk credentials once, and not for an ip trunk', async () => {
    const registering = trunk(1, {
      auth: { kind: 'register', username: 'acme', password: 'secret' },
    });
    await start([registering, trunk(2)]);
    const router = links!;
    const request = invite('+493012345678');
    const challenge = parse(
      'response',
      `SIP/2.0 407 Proxy Authentication Required
Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKabc
From: <sip:+4930999@192.0.2.10>;tag=1
To: <sip:+493012345678@198.51.100.1>;tag=t
Call-ID: c1
CSeq: 1 INVITE
Proxy-Authenticate: Digest realm="carrier.test", nonce="n1", algorithm=MD5, qop="auth"
Content-Length: 0

`,
    );
    const retry = router.answerChallenge(registering, request, challenge);
    expect(retry).not.toBeNull();
    expect(retry!.headers.get('cseq')).toBe('2 INVITE');
    expect(retry!.headers.get('via')).not.toContain('z9hG4bKabc');
    expect(retry!.headers.get('call-id')).toBe('c1');
    expect(retry!.headers.get('proxy-authorization')).toMatch(
      /^Digest username="acme", realm="carrier.test", nonce="n1"/,
    );
    expect(request.headers.has('proxy-authorization')).toBe(false);
    // Challenged again after answering: the credentials were refused, nothing more to answer.
    expect(router.answerChallenge(registering, retry!, challenge)).toBeNull();
    const stale = parse(
      'response',
      serializeMessage(challenge).replace(/\r\n/g, '\n').replace('qop="auth"', 'qop="auth", stale=true'),
    );
    expect(router.answerChallenge(registering, retry!, stale)?.headers.get('cseq')).toBe('3 INVITE');
    expect(router.answerChallenge(trunk(2), request, challenge)).toBeNull();
  });
});
