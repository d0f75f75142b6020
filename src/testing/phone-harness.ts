import type { SipCredentials } from '../../contracts/sip';
import { fakeSessionDescriptionHandlerFactory, type FakeSipEdge } from './fake-sip-edge';

/** What the edge's credentials endpoint gives agent1 (extension 1001), valid for an hour. */
export function testSipCredentials(overrides: Partial<SipCredentials> = {}): SipCredentials {
  return {
    username: '1700000000:agent1',
    password: 'ephemeral-secret',
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    aor: 'sip:agent1@switchboard.local',
    authorizationUser: 'agent1',
    realm: 'switchboard.local',
    domain: 'switchboard.local',
    wsPath: '/sip',
    extension: '1001',
    displayName: 'Agent One',
    iceServers: [],
    iceTransportPolicy: 'all',
    iceGatheringTimeoutMs: 50,
    ...overrides,
  };
}

/** The PhoneUserAgent options that put a phone on a fake edge: its transport, fake media, no jitter. */
export function onFakeEdge(edge: FakeSipEdge) {
  return {
    origin: 'http://localhost:8080',
    transportConstructor: edge.transportClass(),
    sessionDescriptionHandlerFactory: fakeSessionDescriptionHandlerFactory,
    random: () => 0,
  };
}

/** Waits (up to 3 s, looking every 5 ms) until `check` holds; else fails naming `what`. */
export async function until(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; waited < 3_000; waited += 5) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`Timed out waiting until ${what}`);
}
