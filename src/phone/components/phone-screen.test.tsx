import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Flag } from '../../../contracts/profiles';
import { fakePhoneCommands as fakeCommands } from '../../testing/fake-phone-commands';
import { renderWithProviders } from '../../testing/render';
import { createPhoneStore } from '../phone-store';
import type { PhoneStore } from '../phone-store';
import { PhoneStoreProvider } from '../phone-store-context';
import type { MonitorInfo } from '../sip/monitor-session';
import type { CallInfo } from '../sip/call-info';
import { CallState, MonitorState } from '../sip/phone-state';
import { PhoneScreen } from './phone-screen';

// The phone UI against a fake phone store: no sip.js, no WebRTC. The store's commands port is
// a recording fake, and SIP events are played into the store through its actions.

function call(overrides: Partial<CallInfo> = {}): CallInfo {
  return {
    id: 'call-1',
    direction: 'outgoing',
    state: CallState.Established,
    peerName: 'Agent Two',
    peerNumber: '1002',
    held: false,
    muted: false,
    startedAt: Date.now() - 70_000,
    answeredAt: Date.now() - 65_000,
    endReason: null,
    transferring: false,
    replacesCallId: null,
    ...overrides,
  };
}

function renderPhone(options: { flags?: Flag[]; store?: PhoneStore; monitorNotice?: boolean } = {}) {
  const store = options.store ?? createPhoneStore({ registration: { status: 'registered' } });
  const commands = fakeCommands();
  store.getState().actions.phoneAttached(commands);
  const flags = options.flags ?? ['call', 'transfer'];
  const rendered = renderWithProviders(
    <PhoneStoreProvider store={store}>
      <PhoneScreen
        userId={1}
        extension="1001"
        profile={{ name: 'agents', flags, monitorNotice: options.monitorNotice ?? false }}
      />
    </PhoneStoreProvider>,
  );
  return { ...rendered, store, commands, actions: store.getState().actions };
}

describe('status line', () => {
  it('says the phone is registered and ready', () => {
    renderPhone();
    expect(screen.getByText('Registered as 1001: ready for calls')).toHaveAttribute('role', 'status');
  });

  it('counts down to the next reconnection try and can try at once', async () => {
    const store = createPhoneStore({
      registration: { status: 'reconnecting', nextAttemptAt: Date.now() + 3_000 },
    });
    const { user, commands } = renderPhone({ store });
    expect(screen.getByText(/Connection lost: reconnecting in [23] s/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Reconnect now' }));
    expect(commands.retryNow).toHaveBeenCalled();
  });

  it('says which server it tries next when the phone has several', () => {
    const store = createPhoneStore({
      registration: {
        status: 'reconnecting',
        nextAttemptAt: Date.now() - 1,
        server: { index: 1, count: 2 },
      },
    });
    renderPhone({ store });
    expect(
      screen.getByText('Connection lost: reconnecting now (trying the second server)…'),
    ).toBeInTheDocument();
  });

  it('shows why the phone failed, as a sentence', () => {
    const store = createPhoneStore({
      registration: { status: 'failed', reason: 'Profile capacity reached (5 of 5 signed in).' },
    });
    renderPhone({ store });
    expect(
      screen.getByText('Not connected. Profile capacity reached (5 of 5 signed in).'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});

describe('placing calls', () => {
  it('calls what was typed when Enter is pressed', async () => {
    const { user, commands } = renderPhone();
    await user.type(screen.getByLabelText('Number or username'), '1002{Enter}');
    expect(commands.dial).toHaveBeenCalledWith('1002');
  });

  it('calls by username too, and takes a pasted number with spaces and brackets', async () => {
    const { user, commands } = renderPhone();
    const field = screen.getByLabelText('Number or username');
    await user.click(field);
    await user.paste('(100) 2-3');
    expect(field).toHaveValue('10023');
    await user.clear(field);
    await user.type(field, 'Agent2');
    await user.click(screen.getByRole('button', { name: 'Call' }));
    expect(commands.dial).toHaveBeenCalledWith('agent2');
  });

  it('takes digits typed anywhere on the page and from the dial pad', async () => {
    const { user, commands } = renderPhone();
    fireEvent.keyDown(document.body, { key: '1' });
    const pad = screen.getByRole('group', { name: 'Dial pad' });
    await user.click(within(pad).getByRole('button', { name: '0' }));
    await user.click(within(pad).getByRole('button', { name: '0' }));
    await user.click(within(pad).getByRole('button', { name: '2' }));
    expect(screen.getByLabelText('Number or username')).toHaveValue('1002');
    await user.click(screen.getByRole('button', { name: 'Call' }));
    expect(commands.dial).toHaveBeenCalledWith('1002');
  });

  it('says what is wrong with the number instead of calling', async () => {
    const { user, commands } = renderPhone();
    await user.type(screen.getByLabelText('Number or username'), 'no way!{Enter}');
    expect(screen.getByText('no way! is not a number or username.')).toBeInTheDocument();
    expect(commands.dial).not.toHaveBeenCalled();
  });

  it('explains and disables calling when the profile lacks "call"', () => {
    renderPhone({ flags: [] });
    const button = screen.getByRole('button', { name: 'Call' });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(/does not include placing calls \(the “call” feature\)/);
    expect(screen.getByLabelText('Number or username')).toBeDisabled();
  });

  it('shows outgoing progress and the refusal sentence when the call is refused', () => {
    const { actions } = renderPhone();
    act(() => actions.callChanged(call({ state: CallState.Ringing, peerName: null, answeredAt: null })));
    expect(screen.getByRole('heading', { name: 'Ringing 1002…' })).toBeInTheDocument();
    act(() =>
      actions.callChanged(
        call({
          state: CallState.Ended,
          peerName: null,
          endReason: 'Your profile does not allow outgoing calls.',
        }),
      ),
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Your profile does not allow outgoing calls.');
  });
});

describe('incoming calls', () => {
  it('shows the caller, and answers or declines', async () => {
    const { user, actions, commands } = renderPhone();
    act(() =>
      actions.callChanged(
        call({ id: 'in-1', direction: 'incoming', state: CallState.Incoming, answeredAt: null }),
      ),
    );
    const ringing = screen.getByRole('region', { name: 'Incoming call' });
    expect(ringing).toHaveTextContent('Agent Two');
    expect(ringing).toHaveTextContent('1002');
    await user.click(within(ringing).getByRole('button', { name: 'Answer' }));
    expect(commands.answer).toHaveBeenCalledWith('in-1');
    await user.click(within(ringing).getByRole('button', { name: 'Decline' }));
    expect(commands.decline).toHaveBeenCalledWith('in-1');
  });

  it('shows a second call as call waiting', () => {
    const { actions } = renderPhone();
    act(() => actions.callChanged(call()));
    act(() =>
      actions.callChanged(
        call({
          id: 'in-2',
          direction: 'incoming',
          state: CallState.Incoming,
          peerName: 'Agent Three',
          peerNumber: '1003',
        }),
      ),
    );
    const waiting = screen.getByRole('region', { name: 'Call waiting' });
    expect(within(waiting).getByRole('button', { name: 'Answer and hold current' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'In call with Agent Two' })).toBeInTheDocument();
  });
});

describe('in a call', () => {
  it('shows the timer and drives mute, hold, tones and hang up', async () => {
    const { user, actions, commands } = renderPhone();
    act(() => actions.callChanged(call()));
    expect(screen.getByText('1:05')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Mute' }));
    expect(commands.setMuted).toHaveBeenCalledWith('call-1', true);
    await user.click(screen.getByRole('button', { name: 'Hold' }));
    expect(commands.setHeld).toHaveBeenCalledWith('call-1', true);

    act(() => actions.callChanged(call({ held: true, muted: true })));
    expect(screen.getByRole('button', { name: 'Resume' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('button', { name: 'Unmute' })).toHaveAttribute('aria-pressed', 'true');

    await user.click(screen.getByRole('button', { name: 'Keypad' }));
    const tones = screen.getByRole('group', { name: 'Send tones' });
    await user.click(within(tones).getByRole('button', { name: '5' }));
    await user.click(within(tones).getByRole('button', { name: '#' }));
    expect(commands.sendDtmf).toHaveBeenNthCalledWith(1, 'call-1', '5');
    expect(commands.sendDtmf).toHaveBeenNthCalledWith(2, 'call-1', '#');
    expect(screen.getByText('Tones sent: 5#')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Hang up' }));
    expect(commands.hangUp).toHaveBeenCalledWith('call-1');
  });

  it('transfers blind to a number', async () => {
    const { user, actions, commands } = renderPhone();
    act(() => actions.callChanged(call()));
    await user.click(screen.getByRole('button', { name: 'Transfer' }));
    await user.type(screen.getByLabelText('Transfer to (number or username)'), 'agent3');
    await user.click(
      within(screen.getByRole('form', { name: 'Blind transfer' })).getByRole('button', { name: 'Transfer' }),
    );
    expect(commands.blindTransfer).toHaveBeenCalledWith('call-1', 'agent3');
  });

  it('switches between two calls and offers an attended transfer between them', async () => {
    const { user, actions, commands } = renderPhone();
    act(() => actions.callChanged(call({ held: true })));
    act(() => actions.callChanged(call({ id: 'call-2', peerName: 'Agent Three', peerNumber: '1003' })));
    expect(screen.getByRole('heading', { name: 'In call with Agent Three' })).toBeInTheDocument();
    const switcher = screen.getByRole('navigation', { name: 'Your calls' });
    await user.click(within(switcher).getByRole('button', { name: 'Switch to Agent Two (on hold)' }));
    expect(commands.switchTo).toHaveBeenCalledWith('call-1');
    expect(screen.getByRole('heading', { name: 'Agent Two (on hold)' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Transfer' }));
    await user.click(screen.getByRole('button', { name: 'Connect Agent Two with Agent Three' }));
    expect(commands.attendedTransfer).toHaveBeenCalledWith('call-1', 'call-2');
  });

  it('explains and disables transfer when the profile lacks "transfer"', () => {
    const { actions } = renderPhone({ flags: ['call'] });
    act(() => actions.callChanged(call()));
    const transfer = screen.getByRole('button', { name: 'Transfer' });
    expect(transfer).toBeDisabled();
    expect(transfer).toHaveAccessibleDescription(/does not include transferring calls/);
  });

  it('shows live quality and the microphone level', () => {
    const { actions } = renderPhone();
    act(() => actions.callChanged(call()));
    act(() =>
      actions.qualityMeasured('call-1', {
        lossPercent: 0.5,
        jitterMs: 4,
        rttMs: 12,
        mos: 4.4,
        packetsReceived: 500,
      }),
    );
    act(() => actions.micLevelMeasured(0.6));
    const quality = screen.getByRole('group', { name: 'Call quality' });
    expect(quality).toHaveTextContent('good (MOS 4.4)');
    expect(quality).toHaveTextContent('0.5 %');
    expect(quality).toHaveTextContent('12 ms');
    expect(screen.getByRole('meter', { name: 'Microphone level' })).toHaveAttribute('value', '0.6');
  });
});

describe('monitoring', () => {
  const target = { agentUserId: 3, agentName: 'Agent Three', agentExtension: '1003', dialogId: 'dlg-7' };

  function monitoredCall(mode: 'listen' | 'whisper' | 'barge', state = MonitorState.Active): MonitorInfo {
    return {
      id: 'monitor-1',
      side: 'monitored',
      state,
      mode,
      pendingMode: null,
      peer: 'Olivia Operator',
      callId: 'call-1',
      answeredAt: Date.now(),
      notice: null,
      endReason: null,
      refused: false,
    };
  }

  it('tells the agent who monitors the call, in which mode, when the profile has the monitor notice', () => {
    const { actions } = renderPhone({ monitorNotice: true });
    act(() => actions.callChanged(call()));
    act(() => actions.monitoredChanged(monitoredCall('listen')));
    const call1 = screen.getByRole('region', { name: 'In call with Agent Two' });
    expect(within(call1).getByRole('status')).toHaveTextContent(
      'Being monitored by Olivia Operator (listen)',
    );
    act(() => actions.monitoredChanged(monitoredCall('whisper')));
    expect(within(call1).getByRole('status')).toHaveTextContent(
      'Being monitored by Olivia Operator (whisper)',
    );
    act(() => actions.monitoredChanged(monitoredCall('whisper', MonitorState.Ended)));
    expect(screen.queryByText(/Being monitored/)).not.toBeInTheDocument();
  });

  it('shows nothing of it without the monitor notice, and never lists it as a call', () => {
    const { actions } = renderPhone({ monitorNotice: false });
    act(() => actions.callChanged(call()));
    act(() => actions.monitoredChanged(monitoredCall('barge')));
    expect(screen.queryByText(/monitor/i)).not.toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Your calls' })).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'In call with Agent Two' })).toBeInTheDocument();
  });

  it('shows the operator’s own session in one line with its time, and stops it', async () => {
    const { user, actions, commands, store } = renderPhone();
    act(() => actions.monitorStartRequested(target, 'listen'));
    expect(commands.startMonitor).toHaveBeenCalledWith(target, 'listen');
    const line = screen.getByRole('region', { name: 'Monitoring' });
    expect(within(line).getByRole('status')).toHaveTextContent('Starting to listen to Agent Three…');

    act(() =>
      actions.monitorSessionChanged({
        status: 'active',
        target,
        mode: 'listen',
        pendingMode: null,
        since: Date.now() - 12_000,
        notice: null,
      }),
    );
    expect(within(line).getByRole('status')).toHaveTextContent(/^Listening to Agent Three — 0:1[12]$/);
    // Not a call: the dialer stays as it is with no call, nothing to switch between.
    expect(screen.queryByRole('navigation', { name: 'Your calls' })).not.toBeInTheDocument();
    expect(store.getState().calls).toEqual([]);

    act(() => actions.monitorModeRequested('barge'));
    expect(commands.changeMonitorMode).toHaveBeenCalledWith('barge');
    expect(line).toHaveTextContent('Switching to barge…');
    act(() =>
      actions.monitorSessionChanged({
        status: 'active',
        target,
        mode: 'listen',
        pendingMode: null,
        since: Date.now() - 14_000,
        notice: 'Your profile does not allow barge.',
      }),
    );
    expect(within(line).getByRole('status')).toHaveTextContent('Your profile does not allow barge.');

    const stop = within(line).getByRole('button', { name: 'Stop monitoring' });
    stop.focus();
    await user.keyboard('{Enter}');
    expect(commands.stopMonitor).toHaveBeenCalledTimes(1);

    act(() =>
      actions.monitorSessionChanged({
        status: 'ended',
        target,
        reason: 'You stopped monitoring.',
        refused: false,
      }),
    );
    expect(within(line).getByRole('status')).toHaveTextContent(
      'Monitoring Agent Three ended: You stopped monitoring.',
    );
    await user.click(within(line).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('region', { name: 'Monitoring' })).not.toBeInTheDocument();
  });
});

describe('devices and history', () => {
  it('changes microphone and speaker', async () => {
    const { user, actions, commands } = renderPhone();
    act(() =>
      actions.devicesListed(
        {
          microphones: [{ id: 'mic-2', label: 'Headset mic' }],
          speakers: [{ id: 'spk-2', label: 'Headset' }],
        },
        true,
      ),
    );
    await user.selectOptions(screen.getByLabelText('Microphone'), 'mic-2');
    expect(commands.chooseMicrophone).toHaveBeenCalledWith('mic-2');
    await user.selectOptions(screen.getByLabelText('Speaker'), 'spk-2');
    expect(commands.chooseSpeaker).toHaveBeenCalledWith('spk-2');
  });

  it('lists recent calls with call-back', async () => {
    const { user, commands } = renderPhone();
    const history = screen.getByRole('region', { name: 'Recent calls' });
    const callBack = await within(history).findAllByRole('button', { name: /^Call back/ });
    expect(callBack.length).toBeGreaterThan(0);
    await user.click(callBack[0]!);
    expect(commands.dial).toHaveBeenCalled();
  });
});
