import { screen, waitFor, within } from '@testing-library/react';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { MISSED_QUEUE_CALL_REASON, type AgentStateName } from '../../../contracts/agent-states';
import { recordRequests, renderAs } from '../../testing/admin-screens';
import { seriousAxeViolations } from '../../testing/axe';
import type { DemoAgent } from '../../testing/demo-contact-center';
import { fakeDb } from '../../testing/fake-db';
import { apiError } from '../../testing/handlers/api-errors';
import { server } from '../../testing/msw-server';
import { createPhoneStore } from '../phone-store';
import { PhoneStoreProvider } from '../phone-store-context';
import { AgentStateControl } from './agent-state-control';

/** Puts the demo agent (agent1) in a state on the fake server. */
function setAgent1(state: AgentStateName, change: Partial<DemoAgent> = {}): DemoAgent {
  const agent1 = fakeDb.state.agents.find((agent) => agent.userId === 1);
  if (!agent1) throw new Error('No demo agent for agent1.');
  Object.assign(agent1, {
    state,
    reason: null,
    since: new Date(Date.now() - 65_000).toISOString(),
    ...change,
  });
  return agent1;
}

function renderControl() {
  const store = createPhoneStore({ registration: { status: 'registered' } });
  return renderAs('agent', () => (
    <PhoneStoreProvider store={store}>
      <AgentStateControl />
    </PhoneStoreProvider>
  ));
}

const region = () => screen.findByRole('region', { name: 'Agent state' });
const stateWords = async () => within(await region()).getByRole('status', { name: 'Your state' });
const buttons = () => within(screen.getByRole('group', { name: 'Change your state' }));

function wrapUpOfSales(secondsLeft: number): Partial<DemoAgent> {
  return {
    wrapUpEndsAt: new Date(Date.now() + secondsLeft * 1000).toISOString(),
    wrapUpCallId: 'queue-call-7',
    wrapUp: {
      callId: 'queue-call-7',
      queueId: 1,
      queue: 'sales',
      dispositions: ['sale', 'callback', 'no_interest'],
      disposition: null,
      note: null,
    },
  };
}

describe('agent state on the phone', () => {
  it('shows the state with its reason and time in state, and goes Available or Not ready with one click', async () => {
    setAgent1('not_ready', { reason: 'Just signed in' });
    const requests = recordRequests();
    const { user } = renderControl();
    expect(await stateWords()).toHaveTextContent('Not ready — Just signed in');
    expect(screen.getByLabelText('Time in state')).toHaveTextContent(/^1:0[5-9]$/);

    await user.click(await buttons().findByRole('button', { name: 'Available' }));
    await waitFor(async () => expect(await stateWords()).toHaveTextContent(/^Available$/));
    expect(buttons().getByRole('button', { name: 'Available' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByLabelText('Time in state')).toHaveTextContent(/^0:0[0-2]$/);

    await user.click(buttons().getByRole('button', { name: 'Not ready: Lunch' }));
    await waitFor(async () => expect(await stateWords()).toHaveTextContent('Not ready — Lunch'));
    expect(buttons().getByRole('button', { name: 'Not ready: Lunch' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(buttons().getByRole('button', { name: 'Available' })).toHaveAttribute('aria-pressed', 'false');
    expect(fakeDb.state.agents.find((agent) => agent.userId === 1)).toMatchObject({
      state: 'not_ready',
      reason: 'Lunch',
    });
    expect(requests.filter((request) => request.method === 'PUT').map((request) => request.body)).toEqual([
      { action: 'available' },
      { action: 'not_ready', reasonCode: 'lunch' },
    ]);
  });

  it('is reachable from the keyboard', async () => {
    setAgent1('not_ready', { reason: 'Break' });
    const { user } = renderControl();
    await region();
    const available = await screen.findByRole('button', { name: 'Available' });
    available.focus();
    await user.keyboard('{Enter}');
    await waitFor(async () => expect(await stateWords()).toHaveTextContent(/^Available$/));
    await user.tab();
    expect(screen.getByRole('button', { name: 'Not ready: Break' })).toHaveFocus();
  });

  it('says when the system set Not ready because a queue call rang out', async () => {
    setAgent1('not_ready', { reason: MISSED_QUEUE_CALL_REASON });
    renderControl();
    expect(await stateWords()).toHaveTextContent('Not ready — Missed a queue call');
    expect(
      screen.getByText(/A queue call rang out on your phone, so you were set to Not ready/),
    ).toBeVisible();
  });

  it('says in a sentence why the server refused a change', async () => {
    setAgent1('not_ready', { reason: 'Break' });
    server.use(
      http.put('/api/me/state', () =>
        apiError(409, {
          code: 'conflict',
          message: 'A queue call is ringing your phone: answer or decline it first.',
        }),
      ),
    );
    const { user } = renderControl();
    await user.click(await screen.findByRole('button', { name: 'Available' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Your state was not changed: A queue call is ringing your phone: answer or decline it first.',
    );
    expect(await stateWords()).toHaveTextContent('Not ready — Break');
  });

  it('holds the buttons while a call sets the state', async () => {
    setAgent1('on_call');
    renderControl();
    expect(await stateWords()).toHaveTextContent(/^On call$/);
    expect(await buttons().findByRole('button', { name: 'Not ready: Lunch' })).toBeDisabled();
    expect(buttons().getByRole('button', { name: 'Available' })).toBeDisabled();
    expect(screen.getByText('Your state follows the call; choose again once it has ended.')).toBeVisible();
  });

  it('counts wrap-up down, adds time, saves the disposition with a note, and ends wrap-up', async () => {
    setAgent1('wrap_up', wrapUpOfSales(25));
    const requests = recordRequests();
    const { user } = renderControl();
    expect(await stateWords()).toHaveTextContent(/^Wrap-up$/);
    const timer = screen.getByRole('timer', { name: 'Wrap-up time left' });
    expect(timer).toHaveTextContent(/^0:2[45]$/);
    expect(screen.getByText(/call from queue sales/)).toBeVisible();

    await user.click(screen.getByRole('button', { name: 'More time' }));
    await waitFor(() => expect(screen.getByRole('timer')).toHaveTextContent(/^0:5[45]$/));

    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    const disposition = screen.getByLabelText('Disposition');
    expect(disposition).toHaveAccessibleDescription('Choose a disposition.');
    expect(disposition).toHaveFocus();

    await user.selectOptions(disposition, 'callback');
    await user.type(screen.getByLabelText('Note (optional)'), 'Call back after 3 pm');
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    expect(await screen.findByText('Saved: callback.')).toBeInTheDocument();
    const agent1 = fakeDb.state.agents.find((agent) => agent.userId === 1);
    expect(agent1?.wrapUp).toMatchObject({ disposition: 'callback', note: 'Call back after 3 pm' });

    await user.click(screen.getByRole('button', { name: 'End wrap-up' }));
    await waitFor(async () => expect(await stateWords()).toHaveTextContent(/^Available$/));
    expect(screen.queryByRole('timer')).not.toBeInTheDocument();
    expect(
      requests.filter((request) => request.method === 'PUT').map((r) => [r.url.pathname, r.body]),
    ).toEqual([
      ['/api/me/state', { action: 'extend_wrap_up' }],
      ['/api/calls/queue-call-7/wrap-up', { disposition: 'callback', note: 'Call back after 3 pm' }],
      ['/api/me/state', { action: 'end_wrap_up' }],
    ]);
  }, 15_000);

  it('puts the server’s refusal of a disposition beside the field', async () => {
    setAgent1('wrap_up', wrapUpOfSales(25));
    server.use(
      http.put('/api/calls/:callId/wrap-up', () =>
        apiError(400, {
          code: 'validation_failed',
          message: 'sale is not a disposition of the queue sales: choose one of: callback, no_interest.',
          fields: {
            disposition: 'sale is not a disposition of the queue sales: choose one of: callback, no_interest',
          },
        }),
      ),
    );
    const { user } = renderControl();
    await user.selectOptions(await screen.findByLabelText('Disposition'), 'sale');
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Disposition')).toHaveAccessibleDescription(
        'Sale is not a disposition of the queue sales: choose one of: callback, no_interest.',
      ),
    );
  });

  it('is not shown to someone the contact center does not know (Offline)', async () => {
    setAgent1('offline');
    const requests = recordRequests();
    renderControl();
    await waitFor(() =>
      expect(requests.some((request) => request.url.pathname === '/api/me/state')).toBe(true),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByRole('region', { name: 'Agent state' })).not.toBeInTheDocument();
  });

  it('is not shown to someone no queue offers calls, though their signed-in phone made them Not ready', async () => {
    setAgent1('not_ready', { reason: 'Just signed in' });
    // agent1 is in sales as a user and through floor_1; taken out of both, and floor_1 out of every queue.
    fakeDb.state.queues = fakeDb.state.queues.map((queue) => ({
      ...queue,
      members: queue.members.filter((m) => (m.kind === 'user' ? m.userId !== 1 : m.groupId !== 1)),
    }));
    const requests = recordRequests();
    renderControl();
    await waitFor(() =>
      expect(requests.some((request) => request.url.pathname === '/api/me/state')).toBe(true),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByRole('region', { name: 'Agent state' })).not.toBeInTheDocument();
  });

  it('is shown to a member through a group only', async () => {
    setAgent1('not_ready', { reason: 'Just signed in' });
    fakeDb.state.queues = fakeDb.state.queues.map((queue) => ({
      ...queue,
      members: queue.members.filter((m) => m.kind !== 'user' || m.userId !== 1),
    }));
    renderControl();
    expect(await stateWords()).toHaveTextContent('Not ready — Just signed in');
  });

  it('is free of serious accessibility problems, in wrap-up too', async () => {
    setAgent1('wrap_up', wrapUpOfSales(25));
    const { container } = renderControl();
    await screen.findByLabelText('Disposition');
    expect(await seriousAxeViolations(container)).toEqual([]);
  });
});
