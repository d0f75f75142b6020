import { afterEach, describe, expect, it } from 'vitest';
import { FakeSipEdge } from '../../testing/fake-sip-edge';
import { onFakeEdge, testSipCredentials, until } from '../../testing/phone-harness';
import type { CallInfo } from './call-info';
import { CallState, PhoneState } from './phone-state';
import { PhoneUserAgent } from './phone-user-agent';
import type { PhoneStatusDetail } from './phone-user-agent-delegate';

const FIRST = 'ws://127.0.0.1:5066/ws';
const SECOND = 'ws://127.0.0.2:5066/ws';

const credentials = () => testSipCredentials({ wsUrls: [FIRST, SECOND] });

const running: PhoneUserAgent[] = [];

function harness() {
  const edge = new FakeSipEdge();
  const states: { state: PhoneState; detail: PhoneStatusDetail; at: number }[] = [];
  const calls: CallInfo[] = [];
  const phone = new PhoneUserAgent({
    ...onFakeEdge(edge),
    fetchCredentials: () => Promise.resolve(credentials()),
    backoff: { baseMs: 40, maxMs: 80 },
    delegate: {
      onStateChange: (state, detail) => states.push({ state, detail, at: Date.now() }),
      onCallChange: (call) => calls.push(call),
    },
  });
  running.push(phone);
  return { edge, phone, states, calls };
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((phone) => phone.stop()));
});

describe('PhoneUserAgent with several SIP edges', () => {
  it('registers through the second edge when the first does not answer, after one retry of the first', async () => {
    const { edge, phone, states } = harness();
    edge.downServers.add(FIRST);
    await phone.start();
    await until(() => phone.phoneState === PhoneState.Registered, 'registered');
    expect(edge.servers).toEqual([FIRST, FIRST, SECOND]);
    // The retry of the first waits its back-off; the move to the second goes at once.
    const waits = states
      .filter((entry) => entry.state === PhoneState.Reconnecting)
      .map((entry) => ({ wait: (entry.detail.nextAttemptAt ?? 0) - entry.at, edge: entry.detail.edge }));
    expect(waits.map((entry) => entry.edge)).toEqual([
      { index: 0, count: 2 },
      { index: 1, count: 2 },
    ]);
    expect(waits[0]?.wait).toBeGreaterThanOrEqual(35);
    expect(waits[1]?.wait).toBeLessThanOrEqual(5);
    expect(states.at(-1)?.detail.edge).toEqual({ index: 1, count: 2 });
  });

  it('stays on the first edge while it answers', async () => {
    const { edge, phone } = harness();
    await phone.start();
    expect(phone.phoneState).toBe(PhoneState.Registered);
    expect(edge.servers).toEqual([FIRST]);
  });

  it('when its edge drops and does not come back, re-registers through the next (round the list) and restarts ICE on its calls', async () => {
    const { edge, phone, calls } = harness();
    edge.downServers.add(FIRST);
    await phone.start();
    await until(() => phone.phoneState === PhoneState.Registered, 'registered through the second');
    const id = phone.call('1002');
    await until(() => calls.filter((call) => call.id === id).at(-1)?.state === CallState.Established, 'call');
    const invites = edge.requests('INVITE').length;
    const registers = edge.requests('REGISTER').length;
    edge.downServers.clear();
    edge.downServers.add(SECOND);
    const before = edge.servers.length;
    edge.drop();
    await until(
      () => phone.phoneState === PhoneState.Registered && edge.requests('INVITE').length > invites,
      're-registered with an ICE restart',
    );
    // The drop counts as the second edge's first failure, one retry fails, then it wraps to the first.
    expect(edge.servers.slice(before)).toEqual([SECOND, FIRST]);
    expect(edge.requests('REGISTER').length).toBeGreaterThan(registers);
    expect(calls.filter((call) => call.id === id).at(-1)?.state).toBe(CallState.Established);
  });

  it('keeps trying round the list with back-off while every edge is down, and registers once one is back', async () => {
    const { edge, phone } = harness();
    edge.down = true;
    await phone.start();
    await until(() => edge.servers.length >= 6, 'six tries');
    expect(edge.servers.slice(0, 6)).toEqual([FIRST, FIRST, SECOND, SECOND, FIRST, FIRST]);
    edge.down = false;
    await until(() => phone.phoneState === PhoneState.Registered, 'registered');
  });
});
