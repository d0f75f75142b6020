import { act, screen, waitFor, within } from '@testing-library/react';
import { http } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MonitorMode } from '../../../contracts/monitor';
import type { Profile } from '../../../contracts/profiles';
import type { Role } from '../../../contracts/roles';
import { MonitorLinkContext } from '../../lib/monitor-link';
import type { MonitorLink, MonitorSessionView, MonitorTarget } from '../../lib/monitor-link';
import { rootsForEntity } from '../../lib/query-keys';
import { renderAs, toasts } from '../../testing/admin-screens';
import { seriousAxeViolations } from '../../testing/axe';
import { fakeDb } from '../../testing/fake-db';
import { apiError } from '../../testing/handlers/api-errors';
import { server } from '../../testing/msw-server';
import { OperatorScreen } from './operator-screen';

/** The phone's side of monitoring, as far as the panel sees it: records what it is asked. */
class FakeMonitorLink implements MonitorLink {
  readonly calls: unknown[][] = [];
  private view: MonitorSessionView | null = null;
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
  getSnapshot = () => this.view;
  start = (target: MonitorTarget, mode: MonitorMode) => {
    this.calls.push(['start', target, mode]);
    this.show({ status: 'starting', target, mode });
  };
  changeMode = (mode: MonitorMode) => {
    this.calls.push(['changeMode', mode]);
  };
  stop = () => {
    this.calls.push(['stop']);
  };
  dismiss = () => {
    this.calls.push(['dismiss']);
  };

  /** What the phone reports next. */
  show(view: MonitorSessionView | null) {
    this.view = view;
    for (const listener of this.listeners) listener();
  }
}

const NOW = Date.parse('2026-11-23T09:01:23.000Z');
const agent1Target: MonitorTarget = {
  agentUserId: 1,
  agentName: 'Agent One',
  agentExtension: '1001',
  dialogId: 'dialog-agent1',
};

/** The panel for the demo user of a role, with a fake phone (or, with `noPhone`, none). */
function renderOperator({ role = 'operator', noPhone = false }: { role?: Role; noPhone?: boolean } = {}) {
  const link = new FakeMonitorLink();
  const rendered = renderAs(role, (me) => (
    <MonitorLinkContext.Provider value={noPhone ? null : link}>
      <OperatorScreen me={me} />
    </MonitorLinkContext.Provider>
  ));
  return { ...rendered, link };
}

const table = () => screen.findByRole('table', { name: 'Members of floor_1' });
const row = (name: string) => within(screen.getByRole('row', { name: new RegExp(`^${name}`) }));
const sessionRegion = () => within(screen.getByRole('region', { name: 'Monitor session' }));
const sessionStatus = () => sessionRegion().getByRole('status');

function addToFloor1(...userIds: number[]) {
  const group = fakeDb.state.groups[0];
  for (const id of userIds) {
    const user = fakeDb.state.users.find((candidate) => candidate.id === id);
    if (!group || !user) throw new Error(`No user ${id}.`);
    group.members.push({
      id,
      username: user.username,
      displayName: user.displayName,
      extension: user.extension,
    });
  }
}

function setOperatorFlags(flags: Profile['flags']) {
  const operators = fakeDb.state.profiles.find((profile) => profile.name === 'operators');
  if (!operators) throw new Error('No operators profile.');
  operators.flags = flags;
  return operators;
}

beforeEach(() => {
  // Only Date is faked: durations are exact, and timers and user events run as usual.
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('operator panel', () => {
  it("lists the barge group's members with their state in words and call durations that tick", async () => {
    addToFloor1(4, 6);
    renderOperator();
    expect(screen.getByText('Loading live calls…')).toBeInTheDocument();
    await table();
    expect(screen.getByRole('heading', { name: 'Members of floor_1' })).toBeInTheDocument();
    expect(screen.getByText('5 members · 2 on a call')).toBeInTheDocument();

    expect(row('Agent One').getByRole('rowheader')).toHaveTextContent('Agent One (agent1)');
    expect(row('Agent One').getByText('1001')).toBeInTheDocument();
    expect(row('Agent One').getByText('On a call with Dana Customer (1050) · 1:23')).toBeInTheDocument();
    expect(row('Agent One').getByText('Monitored by Sam Supervisor (whispering)')).toBeInTheDocument();
    expect(row('Agent Two').getByText('Ringing — 1099 calling')).toBeInTheDocument();
    expect(row('Agent Two').queryByRole('button', { name: 'Listen' })).not.toBeInTheDocument();
    expect(row('Agent Three').getByText('On a call with Reception (1042) · 3:23')).toBeInTheDocument();
    expect(row('Olivia Operator').getByText('Available')).toBeInTheDocument();
    expect(row('Administrator').getByText('Offline')).toBeInTheDocument();
    // Put in the group behind the panel's back: still no controls, and the row says why.
    expect(
      row('Administrator').getByText('Administrator is an admin; an operator may monitor only agents.'),
    ).toBeInTheDocument();
    expect(row('Olivia Operator').getByText('You cannot monitor your own calls.')).toBeInTheDocument();
    expect(row('Agent One').queryByText(/may monitor only/)).not.toBeInTheDocument();

    vi.setSystemTime(NOW + 5_000);
    expect(
      await row('Agent One').findByText('On a call with Dana Customer (1050) · 1:28', {}, { timeout: 2_000 }),
    ).toBeInTheDocument();
  });

  it('shows only the modes the profile allows, and the same panel to a supervisor', async () => {
    setOperatorFlags(['call', 'listen']);
    renderOperator();
    await table();
    const agent1 = row('Agent One');
    expect(agent1.getByRole('button', { name: 'Listen' })).toBeEnabled();
    expect(agent1.queryByRole('button', { name: 'Whisper' })).not.toBeInTheDocument();
    expect(agent1.queryByRole('button', { name: 'Barge' })).not.toBeInTheDocument();
    expect(screen.queryByText(/does not allow/)).not.toBeInTheDocument();
  });

  it('gives a supervisor with a barge group the same panel', async () => {
    // The seed's supervisors profile monitors nobody; give it the operators' group and flags.
    const supervisors = fakeDb.state.profiles.find((profile) => profile.name === 'supervisors');
    if (!supervisors) throw new Error('No supervisors profile.');
    Object.assign(supervisors, {
      flags: ['call', 'transfer', 'listen', 'whisper', 'barge'],
      bargeGroup: 'floor_1',
    });
    renderOperator({ role: 'supervisor' });
    await table();
    for (const mode of ['Listen', 'Whisper', 'Barge'])
      expect(row('Agent One').getByRole('button', { name: mode })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Remove Agent One from floor_1' })).toBeInTheDocument();
  });

  it('disables the modes a call cannot be monitored in, saying why', async () => {
    renderOperator();
    await table();
    const agent3 = row('Agent Three');
    const reason = "Agent Three's phone cannot mix a monitor session (it needs the Switchboard phone).";
    expect(agent3.getByText(reason)).toBeVisible();
    for (const mode of ['Listen', 'Whisper', 'Barge']) {
      const button = agent3.getByRole('button', { name: mode });
      expect(button).toBeDisabled();
      expect(button).toHaveAccessibleDescription(reason);
    }
    expect(agent3.getAllByText(reason)).toHaveLength(1);
  });

  it('disables every mode where there is no phone to monitor with', async () => {
    renderOperator({ noPhone: true });
    await table();
    expect(sessionStatus()).toHaveTextContent('Your phone is not available here.');
    const listen = row('Agent One').getByRole('button', { name: 'Listen' });
    expect(listen).toBeDisabled();
    expect(listen).toHaveAccessibleDescription('Your phone is not available here.');
    expect(row('Agent One').getByText('Your phone is not available here.')).toBeVisible();
  });

  it('starts listening to a call, then shows, switches and stops the session at the top', async () => {
    const { user, link } = renderOperator();
    await table();
    expect(sessionStatus()).toHaveTextContent('You are not monitoring a call.');

    await user.click(row('Agent One').getByRole('button', { name: 'Listen' }));
    expect(link.calls).toEqual([['start', agent1Target, 'listen']]);
    expect(sessionStatus()).toHaveTextContent('Starting to listen to Agent One…');
    expect(sessionRegion().getByRole('button', { name: 'Stop' })).toBeInTheDocument();

    const active = {
      status: 'active',
      target: agent1Target,
      mode: 'listen',
      pendingMode: null,
      since: NOW - 12_000,
      notice: null,
    } as const;
    act(() => link.show(active));
    expect(sessionStatus()).toHaveTextContent("Listening to Agent One's call");
    expect(sessionRegion().getByRole('timer')).toHaveTextContent('0:12');
    const modes = within(sessionRegion().getByRole('group', { name: 'Monitor mode' }));
    expect(modes.getByRole('button', { name: 'Listen' })).toHaveAttribute('aria-pressed', 'true');
    expect(modes.getByRole('button', { name: 'Whisper' })).toHaveAttribute('aria-pressed', 'false');

    await user.click(modes.getByRole('button', { name: 'Whisper' }));
    expect(link.calls.at(-1)).toEqual(['changeMode', 'whisper']);
    act(() => link.show({ ...active, pendingMode: 'whisper' }));
    expect(sessionStatus()).toHaveTextContent('Switching to Whisper…');

    // In the row, the running mode is marked and another mode switches the same session.
    const listen = row('Agent One').getByRole('button', { name: 'Listen' });
    expect(listen).toBeDisabled();
    expect(listen).toHaveAccessibleDescription('You are listening on this call.');
    await user.click(row('Agent One').getByRole('button', { name: 'Barge' }));
    expect(link.calls.at(-1)).toEqual(['changeMode', 'barge']);

    act(() => link.show({ ...active, mode: 'whisper', notice: 'Your profile does not allow barge' }));
    expect(sessionStatus()).toHaveTextContent('Whispering to Agent One on their call');
    expect(sessionStatus()).toHaveTextContent('Your profile does not allow barge.');

    await user.click(sessionRegion().getByRole('button', { name: 'Stop' }));
    expect(link.calls.at(-1)).toEqual(['stop']);
    expect(screen.getByRole('heading', { name: 'Monitor session' })).toHaveFocus();
  });

  it("shows a refused session's sentence until dismissed", async () => {
    const { user, link } = renderOperator();
    await table();
    act(() =>
      link.show({
        status: 'ended',
        target: agent1Target,
        reason: 'Agent One is not in your barge group floor_1',
        refused: true,
      }),
    );
    expect(sessionStatus()).toHaveTextContent(
      "Could not monitor Agent One's call: Agent One is not in your barge group floor_1.",
    );
    await user.click(sessionRegion().getByRole('button', { name: 'Dismiss' }));
    expect(link.calls).toEqual([['dismiss']]);
  });

  it('adds a member found by name', async () => {
    const group = fakeDb.state.groups[0];
    if (group) group.members = group.members.filter((member) => member.id !== 3);
    const agent3 = fakeDb.state.users.find((candidate) => candidate.id === 3);
    if (agent3) agent3.groups = [];
    const { user } = renderOperator();
    await table();
    await user.type(screen.getByLabelText('Add a member to floor_1'), 'three');
    await user.click(await screen.findByRole('button', { name: 'Add Agent Three' }));
    expect(await toasts().findByText('Agent Three added to floor_1.')).toBeInTheDocument();
    // The board refreshes through the group's live event.
    await waitFor(() => expect(row('Agent Three').getByText(/On a call with Reception/)).toBeInTheDocument());
    const results = within(await screen.findByRole('list', { name: 'Users matching three' }));
    expect(await results.findByText('Member')).toBeInTheDocument();
  });

  it('says why adding a member was refused: nobody joins the barge group of someone who could not monitor them', async () => {
    const { user } = renderOperator();
    await table();
    await user.type(screen.getByLabelText('Add a member to floor_1'), 'admin');
    await user.click(await screen.findByRole('button', { name: 'Add Administrator' }));
    expect(
      await toasts().findByText(
        'Could not add Administrator to floor_1: Administrator is an admin; an operator may monitor only agents, so they cannot join your barge group floor_1.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('row', { name: /^Administrator/ })).not.toBeInTheDocument();
  });

  it('removes a member after asking, and says why when the server refuses', async () => {
    const { user } = renderOperator();
    await table();
    await user.click(screen.getByRole('button', { name: 'Remove Agent Two from floor_1' }));
    let dialog = screen.getByRole('alertdialog', { name: 'Remove Agent Two from floor_1?' });
    expect(dialog).toHaveTextContent('Agent Two stays a user');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Remove Agent Two from floor_1' })).toHaveFocus();

    server.use(
      http.delete(
        '/api/groups/:id/members/:userId',
        () =>
          apiError(403, {
            code: 'forbidden',
            message: 'Operators may change only their own barge group (floor_2), not floor_1.',
          }),
        { once: true },
      ),
    );
    await user.click(screen.getByRole('button', { name: 'Remove Agent Two from floor_1' }));
    dialog = screen.getByRole('alertdialog', { name: 'Remove Agent Two from floor_1?' });
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(
      await toasts().findByText(
        'Could not remove Agent Two from floor_1: Operators may change only their own barge group (floor_2), not floor_1.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('row', { name: /^Agent Two/ })).toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(await toasts().findByText('Agent Two removed from floor_1.')).toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('row', { name: /^Agent Two/ })).not.toBeInTheDocument());
    expect(fakeDb.state.groups[0]?.members.map((member) => member.username)).not.toContain('agent2');
  });

  it('refreshes the board when a live event says a call changed', async () => {
    const { queryClient } = renderOperator();
    await table();
    const agent2 = fakeDb.state.phones.find((phone) => phone.userId === 2);
    const call = agent2?.calls[0];
    if (!call) throw new Error('No demo call for agent2.');
    call.state = 'answered';
    call.since = new Date(NOW - 3_000).toISOString();
    await act(() =>
      Promise.all(rootsForEntity.call.map((root) => queryClient.invalidateQueries({ queryKey: [root] }))),
    );
    expect(await row('Agent Two').findByText('On a call with 1099 · 0:03')).toBeInTheDocument();
    expect(row('Agent Two').getByRole('button', { name: 'Listen' })).toBeEnabled();
  });

  it('says why there is nobody to monitor without a barge group', async () => {
    const operators = setOperatorFlags(['call', 'listen']);
    operators.bargeGroup = null;
    renderOperator();
    expect(
      await screen.findByText('Your profile has no barge group, so there are no calls to monitor'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.queryByLabelText(/Add a member/)).not.toBeInTheDocument();
  });

  it('says when the barge group has no members yet', async () => {
    const group = fakeDb.state.groups[0];
    if (group) group.members = [];
    renderOperator();
    expect(
      await screen.findByText('Nobody is in floor_1 yet. Search for people below to add them.'),
    ).toBeInTheDocument();
    expect(screen.getByText('0 members · 0 on a call')).toBeInTheDocument();
    expect(screen.getByLabelText('Add a member to floor_1')).toBeInTheDocument();
  });

  it('says when the board could not be loaded, and tries again', async () => {
    server.use(
      http.get(
        '/api/monitor/board',
        () => apiError(500, { code: 'internal', message: 'The database is not answering.' }),
        { once: true },
      ),
    );
    const { user } = renderOperator();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The live calls could not be loaded: The database is not answering.',
    );
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await table()).toBeInTheDocument();
  });

  it('is free of serious accessibility problems', async () => {
    const { container, link } = renderOperator();
    await table();
    act(() =>
      link.show({
        status: 'active',
        target: agent1Target,
        mode: 'listen',
        pendingMode: null,
        since: NOW - 5_000,
        notice: null,
      }),
    );
    await waitFor(async () => expect(await seriousAxeViolations(container)).toEqual([]));
  });
});
