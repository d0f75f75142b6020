import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SipCredentials } from '../../../contracts/sip';
import { FakeSessionDescriptionHandler, FakeSipEdge, header } from '../../testing/fake-sip-edge';
import type { MonitorInfo } from './monitor-session';
import type { CallInfo } from './call-info';
import { CallState, MonitorState, PhoneState } from './phone-state';
import { webSocketUrl } from './edge-urls';
import { PermanentPhoneFailure } from './phone-failures';
import { PhoneUserAgent } from './phone-user-agent';
import { onFakeEdge, testSipCredentials, until } from '../../testing/phone-harness';
import type { PhoneStatusDetail } from './phone-user-agent-delegate';

const credentials = testSipCredentials;

type Harness = {
  edge: FakeSipEdge;
  phone: PhoneUserAgent;
  states: { state: PhoneState; detail: PhoneStatusDetail }[];
  calls: CallInfo[];
  monitors: MonitorInfo[];
  tones: string[];
  fetchCredentials: ReturnType<typeof vi.fn<() => Promise<SipCredentials>>>;
};

const running: PhoneUserAgent[] = [];

function harness(
  options: {
    fetchCredentials?: () => Promise<SipCredentials>;
    dtmfMode?: 'rfc4733' | 'info';
    /** Keep-alive pings every 50 ms, each unanswered after 100 ms. */
    quickPings?: boolean;
  } = {},
): Harness {
  const edge = new FakeSipEdge();
  const states: Harness['states'] = [];
  const calls: CallInfo[] = [];
  const monitors: MonitorInfo[] = [];
  const tones: string[] = [];
  const fetchCredentials = vi.fn(options.fetchCredentials ?? (() => Promise.resolve(credentials())));
  const phone = new PhoneUserAgent({
    ...onFakeEdge(edge),
    fetchCredentials,
    backoff: { baseMs: 20, maxMs: 40 },
    ...(options.dtmfMode ? { dtmfMode: options.dtmfMode } : {}),
    ...(options.quickPings ? { pingIntervalMs: 50, pongTimeoutMs: 100 } : {}),
    delegate: {
      onStateChange: (state, detail) => states.push({ state, detail }),
      onCallChange: (call) => calls.push(call),
      onDtmfReceived: (_callId, tone) => tones.push(tone),
      onMonitorChange: (monitor) => monitors.push(monitor),
    },
  });
  running.push(phone);
  return { edge, phone, states, calls, monitors, tones, fetchCredentials };
}

function lastCall(calls: CallInfo[], id?: string): CallInfo | undefined {
  return calls.filter((call) => id === undefined || call.id === id).at(-1);
}

function lastMonitor(monitors: MonitorInfo[], id?: string): MonitorInfo | undefined {
  return monitors.filter((monitor) => id === undefined || monitor.id === id).at(-1);
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((phone) => phone.stop()));
});

describe('PhoneUserAgent registration', () => {
  it('registers with the fetched short-lived credentials, never anything else', async () => {
    const { edge, phone, states } = harness();
    await phone.start();
    expect(phone.phoneState).toBe(PhoneState.Registered);
    expect(states.map((entry) => entry.state)).toEqual([PhoneState.Connecting, PhoneState.Registered]);
    const register = edge.requests('REGISTER')[0];
    expect(register?.startLine).toBe('REGISTER sip:switchboard.local SIP/2.0');
    expect(header(register!, 'from')).toContain('sip:agent1@switchboard.local');
    expect(header(register!, 'contact')).toContain('expires=300');
  });

  it('builds the WebSocket address from the page origin and the path the server names', () => {
    expect(webSocketUrl('http://localhost:8080', '/sip')).toBe('ws://localhost:8080/sip');
    expect(webSocketUrl('https://switchboard.example', '/sip')).toBe('wss://switchboard.example/sip');
  });

  it('fails with the edge’s reason as a sentence when the REGISTER is refused', async () => {
    const { edge, phone, states } = harness();
    edge.registerAnswer = { status: 403, reason: 'Profile capacity reached (5 of 5 signed in)' };
    await phone.start();
    expect(phone.phoneState).toBe(PhoneState.Failed);
    expect(states.at(-1)?.detail.reason).toBe('Profile capacity reached (5 of 5 signed in).');
  });

  it('fails without retrying when the credentials cannot be had (signed out)', async () => {
    const { phone, states } = harness({
      fetchCredentials: () =>
        Promise.reject(new PermanentPhoneFailure('You are signed out. Sign in again to use the phone.')),
    });
    await phone.start();
    expect(states.at(-1)).toEqual({
      state: PhoneState.Failed,
      detail: { reason: 'You are signed out. Sign in again to use the phone.', nextAttemptAt: null },
    });
  });

  it('reconnects with a countdown after the WebSocket drops, and registers again', async () => {
    const { edge, phone, states } = harness();
    await phone.start();
    edge.down = true;
    const before = Date.now();
    edge.drop();
    await until(() => phone.phoneState === PhoneState.Reconnecting, 'reconnecting');
    const reconnecting = states.find((entry) => entry.state === PhoneState.Reconnecting);
    expect(reconnecting?.detail.nextAttemptAt).toBeGreaterThanOrEqual(before + 20);
    // Tries fail while the server is away, the wait grows to its cap...
    await until(() => edge.connects >= 3, 'two more tries');
    expect(phone.phoneState).not.toBe(PhoneState.Registered);
    // ...and once it is back the phone registers again on its own.
    edge.down = false;
    await until(() => phone.phoneState === PhoneState.Registered, 'registered again');
    expect(edge.requests('REGISTER').length).toBeGreaterThanOrEqual(2);
  });

  it('un-registers (Expires: 0) when stopped', async () => {
    const { edge, phone } = harness();
    await phone.start();
    await phone.stop();
    const unregister = edge.requests('REGISTER').at(-1);
    expect(header(unregister!, 'expires') ?? header(unregister!, 'contact')).toMatch(/^0$|expires=0/);
    expect(phone.phoneState).toBe(PhoneState.Stopped);
  });

  it('refreshes the credentials before they expire and registers with the new ones', async () => {
    let count = 0;
    const { edge, phone, fetchCredentials } = harness({
      fetchCredentials: () => {
        count += 1;
        return Promise.resolve(
          credentials({
            username: `17000000${count}:agent1`,
            expiresAt: new Date(Date.now() + 6_000).toISOString(),
          }),
        );
      },
    });
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      await phone.start();
      const registers = edge.requests('REGISTER').length;
      await vi.advanceTimersByTimeAsync(5_000);
      await until(() => edge.requests('REGISTER').length > registers, 'a new REGISTER');
      expect(fetchCredentials).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('PhoneUserAgent calls', () => {
  it('places a call by extension: ringing, then established', async () => {
    const { edge, phone, calls } = harness();
    await phone.start();
    const id = phone.call('1002');
    const invite = await edge.waitFor((message) => message.method === 'INVITE', 'INVITE');
    expect(invite.startLine).toBe('INVITE sip:1002@switchboard.local SIP/2.0');
    await until(() => lastCall(calls, id)?.state === CallState.Established, 'established');
    expect(calls.filter((call) => call.id === id).map((call) => call.state)).toEqual(
      expect.arrayContaining([CallState.Dialing, CallState.Ringing, CallState.Established]),
    );
    await edge.waitFor((message) => message.method === 'ACK', 'ACK');
  });

  it('calls a phone number typed with spaces, dashes and brackets as +digits (the edge reads the number)', async () => {
    const { edge, phone, calls } = harness();
    await phone.start();
    const id = phone.call(' +49 (30) 555-000 ');
    const invite = await edge.waitFor((message) => message.method === 'INVITE', 'INVITE');
    expect(invite.startLine).toBe('INVITE sip:+4930555000@switchboard.local SIP/2.0');
    expect(lastCall(calls, id)?.peerNumber).toBe('+4930555000');
    expect(() => phone.call('30 555 000 ext. 4')).toThrow(
      '30 555 000 ext. 4 is not a number or username that can be called.',
    );
  });

  it('turns a refusal into the reason sentence from the response', async () => {
    const { edge, phone, calls } = harness();
    edge.inviteAnswer = { status: 403, reason: 'Your profile does not allow outgoing calls' };
    await phone.start();
    const id = phone.call('1002');
    await until(() => lastCall(calls, id)?.state === CallState.Ended, 'ended');
    expect(lastCall(calls, id)?.endReason).toBe('Your profile does not allow outgoing calls.');
  });

  it('says standard refusals its own way', async () => {
    const { edge, phone, calls } = harness();
    edge.inviteAnswer = { status: 480, reason: 'Temporarily Unavailable' };
    await phone.start();
    const id = phone.call('agent2');
    await until(() => lastCall(calls, id)?.state === CallState.Ended, 'ended');
    expect(lastCall(calls, id)?.endReason).toBe('agent2 is not signed in to the phone right now.');
  });

  it('takes an incoming call: caller name and number, answer, INFO tones, hang up with BYE', async () => {
    const { edge, phone, calls, tones } = harness();
    await phone.start();
    const callId = edge.invite('agent2', 'Agent Two');
    await until(() => calls.length > 0, 'incoming call');
    const incoming = calls[0]!;
    expect(incoming).toMatchObject({
      direction: 'incoming',
      state: CallState.Incoming,
      peerName: 'Agent Two',
      peerNumber: 'agent2',
    });

    await phone.answer(incoming.id);
    const ok = await edge.waitFor(
      (message) => message.status === 200 && /INVITE/.test(header(message, 'cseq') ?? ''),
      '200 to INVITE',
    );
    edge.ack(callId, ok);
    await until(() => lastCall(calls, incoming.id)?.state === CallState.Established, 'established');

    edge.inDialog(
      callId,
      'INFO',
      undefined,
      ['Content-Type: application/dtmf-relay'],
      'Signal=5\r\nDuration=100\r\n',
    );
    await until(() => tones.length === 1, 'a tone');
    expect(tones).toEqual(['5']);

    await phone.hangUp(incoming.id);
    await edge.waitFor((message) => message.method === 'BYE', 'BYE');
    await until(() => lastCall(calls, incoming.id)?.state === CallState.Ended, 'ended');
    expect(lastCall(calls, incoming.id)?.endReason).toBeNull();
  });

  it('declines an incoming call with 603', async () => {
    const { edge, phone, calls } = harness();
    await phone.start();
    edge.invite('agent2', 'Agent Two');
    await until(() => calls.length > 0, 'incoming call');
    await phone.hangUp(calls[0]!.id);
    await edge.waitFor((message) => message.status === 603, '603 Decline');
  });

  it('holds and resumes with re-INVITEs, sends DTMF (RFC 4733 by default, INFO when asked) and transfers with REFER', async () => {
    const { edge, phone, calls } = harness();
    await phone.start();
    const id = phone.call('1002');
    await until(() => lastCall(calls, id)?.state === CallState.Established, 'established');

    expect(await phone.setHeld(id, true)).toBe(true);
    expect(lastCall(calls, id)?.held).toBe(true);
    expect(await phone.setHeld(id, false)).toBe(true);
    expect(lastCall(calls, id)?.held).toBe(false);
    const reinvites = edge.requests('INVITE').filter((message) => /tag=/.test(header(message, 'to') ?? ''));
    expect(reinvites).toHaveLength(2);

    phone.setMuted(id, true);
    expect(lastCall(calls, id)?.muted).toBe(true);

    expect(await phone.sendDtmf(id, '7')).toBe(true);
    expect(FakeSessionDescriptionHandler.created.at(-1)?.tones).toEqual(['7']);

    expect(await phone.blindTransfer(id, 'agent3')).toBeNull();
    const refer = edge.requests('REFER')[0];
    expect(header(refer!, 'refer-to')).toContain('sip:agent3@switchboard.local');
    await edge.waitFor((message) => message.method === 'BYE', 'BYE after the transfer');
    await until(() => lastCall(calls, id)?.state === CallState.Ended, 'ended');
    expect(lastCall(calls, id)?.endReason).toBe('The call was transferred.');
  });

  it('sends DTMF as SIP INFO when configured so', async () => {
    const { edge, phone, calls } = harness({ dtmfMode: 'info' });
    await phone.start();
    const id = phone.call('1002');
    await until(() => lastCall(calls, id)?.state === CallState.Established, 'established');
    await phone.sendDtmf(id, '#');
    const info = await edge.waitFor((message) => message.method === 'INFO', 'INFO');
    expect(header(info, 'content-type')).toBe('application/dtmf-relay');
    expect(info.body).toContain('Signal=#');
  });

  it('renegotiates calls in progress (ICE restart re-INVITE) after reconnecting', async () => {
    const { edge, phone, calls } = harness();
    await phone.start();
    const id = phone.call('1002');
    await until(() => lastCall(calls, id)?.state === CallState.Established, 'established');
    const invitesBefore = edge.requests('INVITE').length;
    edge.drop();
    await until(
      () => phone.phoneState === PhoneState.Registered && edge.requests('INVITE').length > invitesBefore,
      're-INVITE',
    );
    expect(lastCall(calls, id)?.state).toBe(CallState.Established);
  });

  it('on a network change, reconnects at once on a new WebSocket and restarts ICE on every call', async () => {
    const { edge, phone, calls, states } = harness();
    await phone.start();
    const id = phone.call('1002');
    await until(() => lastCall(calls, id)?.state === CallState.Established, 'established');
    const connectsBefore = edge.connects;
    const registersBefore = edge.requests('REGISTER').length;
    const invitesBefore = edge.requests('INVITE').length;
    phone.networkChanged();
    await until(
      () =>
        edge.connects > connectsBefore &&
        edge.requests('REGISTER').length > registersBefore &&
        edge.requests('INVITE').length > invitesBefore,
      'new connection, REGISTER and re-INVITE',
    );
    // The person saw it reconnecting, then registered, with the call still on.
    expect(states.some((entry) => entry.state === PhoneState.Reconnecting)).toBe(true);
    expect(phone.phoneState).toBe(PhoneState.Registered);
    expect(lastCall(calls, id)?.state).toBe(CallState.Established);
  });
  it('notices by itself when its connection goes silent (no browser event): reconnects, registers, restarts ICE', async () => {
    const { edge, phone, calls, states } = harness({ quickPings: true });
    await phone.start();
    const id = phone.call('1002');
    await until(() => lastCall(calls, id)?.state === CallState.Established, 'established');
    // Pings are answered: nothing happens.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const connectsBefore = edge.connects;
    const invitesBefore = edge.requests('INVITE').length;
    expect(states.at(-1)?.state).toBe(PhoneState.Registered);

    // The laptop moved to another network: the socket stays open, but nothing gets through.
    edge.silent = true;
    await until(
      () => edge.connects > connectsBefore && edge.requests('INVITE').length > invitesBefore,
      'a new connection and an ICE restart re-INVITE',
    );
    const since = states.slice(states.findLastIndex((entry) => entry.state === PhoneState.Reconnecting));
    expect(since.map((entry) => entry.state)).toEqual([
      PhoneState.Reconnecting,
      PhoneState.Connecting,
      PhoneState.Registered,
    ]);
    expect(edge.connects).toBe(connectsBefore + 1);
    const reinvite = edge.requests('INVITE').at(-1);
    expect(reinvite && header(reinvite, 'to')).toMatch(/tag=/);
    expect(lastCall(calls, id)?.state).toBe(CallState.Established);
  });
});

describe('PhoneUserAgent monitor sessions: the operator’s phone', () => {
  it('says in its REGISTER Contact that it can mix monitor sessions', async () => {
    const { edge, phone } = harness();
    await phone.start();
    expect(header(edge.requests('REGISTER')[0]!, 'contact')).toMatch(/>;\+switchboard\.mix;expires=300$/);
  });

  it('starts with a marked INVITE to the agent, switches mode by INFO, stops with BYE, never as a call', async () => {
    const { edge, phone, calls, monitors } = harness();
    await phone.start();
    const id = phone.startMonitor('1003', 'dlg-7', 'listen', 'Agent Three');
    const invite = await edge.waitFor((message) => message.method === 'INVITE', 'INVITE');
    expect(invite.startLine).toBe('INVITE sip:1003@switchboard.local SIP/2.0');
    expect(header(invite, 'x-switchboard-monitor')).toBe('listen;call="dlg-7"');
    await until(() => lastMonitor(monitors, id)?.state === MonitorState.Active, 'active');
    expect(lastMonitor(monitors, id)).toMatchObject({
      side: 'monitoring',
      mode: 'listen',
      peer: 'Agent Three',
    });

    await phone.changeMonitorMode(id, 'whisper');
    const info = edge.requests('INFO')[0]!;
    expect(header(info, 'x-switchboard-monitor')).toBe('whisper');
    expect(info.body).toBe('');
    expect(monitors.some((monitor) => monitor.pendingMode === 'whisper')).toBe(true);
    expect(lastMonitor(monitors, id)).toMatchObject({ mode: 'whisper', pendingMode: null, notice: null });

    edge.infoAnswer = { status: 403, reason: 'Your profile does not allow barge' };
    await phone.changeMonitorMode(id, 'barge');
    expect(lastMonitor(monitors, id)).toMatchObject({
      mode: 'whisper',
      pendingMode: null,
      notice: 'Your profile does not allow barge.',
    });

    await phone.stopMonitor(id);
    await edge.waitFor((message) => message.method === 'BYE', 'BYE');
    await until(() => lastMonitor(monitors, id)?.state === MonitorState.Ended, 'ended');
    expect(lastMonitor(monitors, id)).toMatchObject({ endReason: 'You stopped monitoring.', refused: false });
    expect(calls).toEqual([]);
    expect(phone.callInfos()).toEqual([]);
  });

  it('turns a refusal into an ended, refused session with the edge’s sentence', async () => {
    const { edge, phone, monitors } = harness();
    edge.inviteAnswer = { status: 403, reason: 'Your profile does not allow barge' };
    await phone.start();
    const id = phone.startMonitor('1003', 'dlg-7', 'barge', 'Agent Three');
    await until(() => lastMonitor(monitors, id)?.state === MonitorState.Ended, 'ended');
    expect(lastMonitor(monitors, id)).toMatchObject({
      refused: true,
      endReason: 'Your profile does not allow barge.',
      answeredAt: null,
    });
    expect(edge.requests('ACK')).toHaveLength(1);
  });

  it('refuses to start while the phone is not registered', () => {
    const { phone } = harness();
    expect(() => phone.startMonitor('1003', 'dlg-7', 'listen')).toThrow(
      'Your phone is not connected; monitoring needs it.',
    );
  });

  it('ends with the BYE’s reason, or says the monitored call ended, when the edge ends it', async () => {
    const { edge, phone, monitors } = harness();
    await phone.start();
    const first = phone.startMonitor('1003', 'dlg-7', 'listen', 'Agent Three');
    const invite = await edge.waitFor((message) => message.method === 'INVITE', 'INVITE');
    await until(() => lastMonitor(monitors, first)?.state === MonitorState.Active, 'active');
    edge.toCaller(header(invite, 'call-id')!, 'BYE', ['Reason: SIP ;cause=200 ;text="Agent Three hung up"']);
    await until(() => lastMonitor(monitors, first)?.state === MonitorState.Ended, 'ended');
    expect(lastMonitor(monitors, first)).toMatchObject({ endReason: 'Agent Three hung up.', refused: false });

    const second = phone.startMonitor('1003', 'dlg-8', 'listen', 'Agent Three');
    await until(() => lastMonitor(monitors, second)?.state === MonitorState.Active, 'active');
    const secondInvite = edge.requests('INVITE').at(-1)!;
    edge.toCaller(header(secondInvite, 'call-id')!, 'BYE');
    await until(() => lastMonitor(monitors, second)?.state === MonitorState.Ended, 'ended');
    expect(lastMonitor(monitors, second)?.endReason).toBe('The call you monitored ended.');
  });
});

describe('PhoneUserAgent monitor sessions: the agent’s phone', () => {
  async function onCallWithCustomer(h: Harness): Promise<{ sipCallId: string; call: CallInfo }> {
    await h.phone.start();
    const sipCallId = h.edge.invite('customer', 'Casey Customer');
    // An ordinary call still rings (180) at the caller.
    await h.edge.waitFor(
      (message) => message.status === 180 && header(message, 'call-id') === sipCallId,
      '180 to the call',
    );
    await until(() => h.calls.length > 0, 'incoming call');
    const call = h.calls[0]!;
    await h.phone.answer(call.id);
    const ok = await h.edge.waitFor(
      (message) => message.status === 200 && header(message, 'call-id') === sipCallId,
      '200 to the call',
    );
    h.edge.ack(sipCallId, ok);
    await until(() => lastCall(h.calls, call.id)?.state === CallState.Established, 'established');
    return { sipCallId, call };
  }

  function monitorMark(mode: string, sipCallId: string): string {
    return `X-Switchboard-Monitor: ${mode};call-id="${sipCallId}";by="Olivia Operator"`;
  }

  it('answers a marked INVITE at once, without ringing and without listing it among the calls', async () => {
    const h = harness();
    const { sipCallId, call } = await onCallWithCustomer(h);
    const callEvents = h.calls.length;

    const monitorCallId = h.edge.invite('operator1', 'Olivia Operator', undefined, [
      monitorMark('listen', sipCallId),
    ]);
    const ok = await h.edge.waitFor(
      (message) => message.status === 200 && header(message, 'call-id') === monitorCallId,
      '200 to the monitor INVITE',
    );
    h.edge.ack(monitorCallId, ok);
    await until(() => lastMonitor(h.monitors)?.state === MonitorState.Active, 'monitor active');

    expect(lastMonitor(h.monitors)).toMatchObject({
      side: 'monitored',
      mode: 'listen',
      peer: 'Olivia Operator',
      callId: call.id,
    });
    expect(
      h.edge.received.filter(
        (message) => message.status === 180 && header(message, 'call-id') === monitorCallId,
      ),
    ).toEqual([]);
    expect(h.calls).toHaveLength(callEvents);
    expect(h.phone.callInfos().map((info) => info.id)).toEqual([call.id]);
  });

  it('switches mode on an INFO with the mark and refuses one without', async () => {
    const h = harness();
    const { sipCallId } = await onCallWithCustomer(h);
    const monitorCallId = h.edge.invite('operator1', 'Olivia Operator', undefined, [
      monitorMark('listen', sipCallId),
    ]);
    const ok = await h.edge.waitFor(
      (message) => message.status === 200 && header(message, 'call-id') === monitorCallId,
      '200 to the monitor INVITE',
    );
    h.edge.ack(monitorCallId, ok);
    await until(() => lastMonitor(h.monitors)?.state === MonitorState.Active, 'monitor active');

    h.edge.inDialog(monitorCallId, 'INFO', undefined, ['X-Switchboard-Monitor: barge']);
    await until(() => lastMonitor(h.monitors)?.mode === 'barge', 'barge');
    await h.edge.waitFor(
      (message) => message.status === 200 && /INFO/.test(header(message, 'cseq') ?? ''),
      '200 to the INFO',
    );

    h.edge.inDialog(monitorCallId, 'INFO');
    const refused = await h.edge.waitFor(
      (message) => message.status === 400 && /INFO/.test(header(message, 'cseq') ?? ''),
      '400 to the INFO without a mark',
    );
    expect(refused.startLine).toBe('SIP/2.0 400 No monitor mode given');
    expect(lastMonitor(h.monitors)?.mode).toBe('barge');
  });

  it('ends the monitor session (BYE) when the monitored call ends', async () => {
    const h = harness();
    const { sipCallId, call } = await onCallWithCustomer(h);
    const monitorCallId = h.edge.invite('operator1', 'Olivia Operator', undefined, [
      monitorMark('whisper', sipCallId),
    ]);
    const ok = await h.edge.waitFor(
      (message) => message.status === 200 && header(message, 'call-id') === monitorCallId,
      '200 to the monitor INVITE',
    );
    h.edge.ack(monitorCallId, ok);
    await until(() => lastMonitor(h.monitors)?.state === MonitorState.Active, 'monitor active');

    h.edge.inDialog(sipCallId, 'BYE');
    await until(() => lastCall(h.calls, call.id)?.state === CallState.Ended, 'call ended');
    await h.edge.waitFor(
      (message) => message.method === 'BYE' && header(message, 'call-id') === monitorCallId,
      'BYE on the monitor session',
    );
    await until(() => lastMonitor(h.monitors)?.state === MonitorState.Ended, 'monitor ended');
    expect(lastMonitor(h.monitors)?.endReason).toBe('The monitored call ended.');
    expect(h.phone.monitorInfos()).toEqual([]);
  });

  it('refuses a monitor session for a call it does not have (481)', async () => {
    const h = harness();
    await h.phone.start();
    const monitorCallId = h.edge.invite('operator1', 'Olivia Operator', undefined, [
      monitorMark('listen', 'no-such-call'),
    ]);
    const refused = await h.edge.waitFor(
      (message) => message.status === 481 && header(message, 'call-id') === monitorCallId,
      '481',
    );
    expect(refused.startLine).toBe('SIP/2.0 481 That call has ended');
    expect(h.calls).toEqual([]);
    expect(h.monitors).toEqual([]);
  });
});
