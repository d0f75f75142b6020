import { act, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { MonitorLinkContext, useMonitorSession } from '../lib/monitor-link';
import type { MonitorTarget } from '../lib/monitor-link';
import { createPhoneMonitorLink } from './monitor-link-adapter';
import { createPhoneStore, PHONE_NOT_CONNECTED_FOR_MONITORING } from './phone-store';
import type { PhoneCommands } from './phone-commands';
import type { PhoneStore } from './phone-store';
import type { MonitorInfo } from './sip/monitor-session';
import { MonitorState } from './sip/phone-state';

// The console's MonitorLink on the phone store: what the console asks reaches the phone's
// commands, and what the phone reports reaches the console. No sip.js here.

const target: MonitorTarget = {
  agentUserId: 3,
  agentName: 'Agent Three',
  agentExtension: '1003',
  dialogId: 'dlg-7',
};

function setUp(registered = true) {
  const store = createPhoneStore({
    registration: registered ? { status: 'registered' } : { status: 'idle' },
  });
  const commands = {
    startMonitor: vi.fn<PhoneCommands['startMonitor']>(),
    changeMonitorMode: vi.fn<PhoneCommands['changeMonitorMode']>(),
    stopMonitor: vi.fn<PhoneCommands['stopMonitor']>(),
  };
  const unused = () => undefined;
  store.getState().actions.phoneAttached({
    dial: unused,
    answer: unused,
    decline: unused,
    hangUp: unused,
    setMuted: unused,
    setHeld: unused,
    sendDtmf: unused,
    blindTransfer: unused,
    attendedTransfer: unused,
    switchTo: unused,
    chooseMicrophone: unused,
    chooseSpeaker: unused,
    chooseRinger: unused,
    enableSound: unused,
    retryNow: unused,
    ...commands,
  });
  return { store, commands, link: createPhoneMonitorLink(store), actions: store.getState().actions };
}

function activeFor(store: PhoneStore) {
  act(() =>
    store.getState().actions.monitorSessionChanged({
      status: 'active',
      target,
      mode: 'listen',
      pendingMode: null,
      since: Date.now(),
      notice: null,
    }),
  );
}

describe('createPhoneMonitorLink', () => {
  it('starts a session on the phone and tells subscribers, unbound as useSyncExternalStore calls it', () => {
    const { link, commands, actions } = setUp();
    const { subscribe, getSnapshot } = link;
    const listener = vi.fn();
    const unsubscribe = subscribe(listener);

    link.start(target, 'listen');
    expect(commands.startMonitor).toHaveBeenCalledWith(target, 'listen');
    expect(getSnapshot()).toEqual({ status: 'starting', target, mode: 'listen' });
    expect(listener).toHaveBeenCalledTimes(1);

    // Other phone state changing does not disturb the console.
    actions.micLevelMeasured(0.5);
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
  });

  it('refuses at once, with a sentence, when the phone is not connected', () => {
    const { link, commands } = setUp(false);
    link.start(target, 'barge');
    expect(commands.startMonitor).not.toHaveBeenCalled();
    expect(link.getSnapshot()).toEqual({
      status: 'ended',
      target,
      refused: true,
      reason: PHONE_NOT_CONNECTED_FOR_MONITORING,
    });
    expect(PHONE_NOT_CONNECTED_FOR_MONITORING).toBe('Your phone is not connected; monitoring needs it.');
  });

  it('switches mode only on a running session, marking the change pending', () => {
    const { link, commands, store } = setUp();
    link.changeMode('whisper');
    expect(commands.changeMonitorMode).not.toHaveBeenCalled();

    activeFor(store);
    link.changeMode('listen');
    expect(commands.changeMonitorMode).not.toHaveBeenCalled();
    link.changeMode('whisper');
    expect(commands.changeMonitorMode).toHaveBeenCalledWith('whisper');
    expect(link.getSnapshot()).toMatchObject({ status: 'active', mode: 'listen', pendingMode: 'whisper' });
  });

  it('stops a starting or running session, and forgets an ended one when dismissed', () => {
    const { link, commands, store } = setUp();
    link.stop();
    expect(commands.stopMonitor).not.toHaveBeenCalled();
    link.start(target, 'listen');
    link.stop();
    expect(commands.stopMonitor).toHaveBeenCalledTimes(1);

    link.dismiss();
    expect(link.getSnapshot()?.status).toBe('starting');
    act(() =>
      store.getState().actions.monitorSessionChanged({
        status: 'ended',
        target,
        reason: 'You stopped monitoring.',
        refused: false,
      }),
    );
    link.dismiss();
    expect(link.getSnapshot()).toBeNull();
  });

  it('re-renders the console’s useMonitorSession as the session changes', () => {
    const { link, store } = setUp();
    function Probe() {
      const session = useMonitorSession();
      return <p>{session ? `${session.status} ${session.target.agentName}` : 'none'}</p>;
    }
    render(
      <MonitorLinkContext.Provider value={link}>
        <Probe />
      </MonitorLinkContext.Provider>,
    );
    expect(screen.getByText('none')).toBeInTheDocument();
    act(() => link.start(target, 'listen'));
    expect(screen.getByText('starting Agent Three')).toBeInTheDocument();
    activeFor(store);
    expect(screen.getByText('active Agent Three')).toBeInTheDocument();
  });
});

describe('phone store: being monitored (the agent’s side)', () => {
  function monitored(overrides: Partial<MonitorInfo> = {}): MonitorInfo {
    return {
      id: 'monitor-1',
      side: 'monitored',
      state: MonitorState.Active,
      mode: 'listen',
      pendingMode: null,
      peer: 'Olivia Operator',
      callId: 'call-1',
      answeredAt: Date.now(),
      notice: null,
      endReason: null,
      refused: false,
      ...overrides,
    };
  }

  it('keeps who monitors which call, in which mode, until the session ends', () => {
    const { store, actions } = setUp();
    actions.monitoredChanged(monitored());
    expect(store.getState().monitoredBy).toEqual([
      { id: 'monitor-1', callId: 'call-1', by: 'Olivia Operator', mode: 'listen' },
    ]);
    actions.monitoredChanged(monitored({ mode: 'barge' }));
    expect(store.getState().monitoredBy).toEqual([
      { id: 'monitor-1', callId: 'call-1', by: 'Olivia Operator', mode: 'barge' },
    ]);
    actions.monitoredChanged(monitored({ side: 'monitoring', id: 'monitor-2' }));
    expect(store.getState().monitoredBy).toHaveLength(1);
    actions.monitoredChanged(monitored({ state: MonitorState.Ended }));
    expect(store.getState().monitoredBy).toEqual([]);
    expect(store.getState().calls).toEqual([]);
  });
});
