import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { recordRequests, renderAs } from '../../testing/admin-screens';
import { seriousAxeViolations } from '../../testing/axe';
import { DEMO_REPORT_DAY } from '../../testing/demo-contact-center';
import { AgentHistoryScreen } from './agent-history-screen';

const cellsOf = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map((cell) => cell.textContent);

describe('agent-state history', () => {
  it('lists a day’s changes newest first, a page at a time, with how long each state lasted and the CSV', async () => {
    const requests = recordRequests();
    const { user, container } = renderAs('supervisor', () => <AgentHistoryScreen />);
    expect(await screen.findByText('No agent’s state changed that day.')).toBeInTheDocument();

    const day = screen.getByLabelText('Day');
    await user.clear(day);
    await user.type(day, DEMO_REPORT_DAY);
    const table = await screen.findByRole('table', { name: 'Agent-state changes' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(50);
    expect(screen.getByRole('status')).toHaveTextContent('1–50 of 75 changes');
    // The newest: agent3 signed in again at 09:04 UTC and is still Not ready.
    const newest = rows[0] as HTMLElement;
    expect(within(newest).getByRole('rowheader')).toHaveTextContent('agent3');
    expect(within(newest).getByRole('time')).toHaveAttribute('datetime', `${DEMO_REPORT_DAY}T09:04:00.000Z`);
    expect(cellsOf(newest).slice(1)).toEqual(['Not ready', 'Not ready', 'Just signed in', 'Still in it']);
    expect(
      screen.getByRole('link', { name: `Download CSV of the agent-state history of ${DEMO_REPORT_DAY}` }),
    ).toHaveAttribute('href', `/api/agent-states/history/export.csv?date=${DEMO_REPORT_DAY}`);

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('51–75 of 75 changes'));
    expect(requests.some((r) => r.url.searchParams.get('offset') === '50')).toBe(true);
    expect(await seriousAxeViolations(container)).toEqual([]);
    // 50 rows under axe take a few seconds on a busy machine.
  }, 30_000);

  it('narrows to one agent (back to the first page), the CSV link following', async () => {
    const requests = recordRequests();
    const { user } = renderAs('supervisor', () => <AgentHistoryScreen />);
    await screen.findByText('No agent’s state changed that day.');
    await user.clear(screen.getByLabelText('Day'));
    await user.type(screen.getByLabelText('Day'), DEMO_REPORT_DAY);
    await screen.findByRole('table', { name: 'Agent-state changes' });
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('51–75 of 75 changes'));

    await user.selectOptions(screen.getByLabelText('Agent'), 'Agent Two (agent2)');
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('1–25 of 25 changes'));
    const table = screen.getByRole('table', { name: 'Agent-state changes' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.every((row) => within(row).getByRole('rowheader').textContent === 'agent2')).toBe(true);
    const onCall = rows.find((row) => cellsOf(row)[2] === 'On call') as HTMLElement;
    expect(cellsOf(onCall).slice(1)).toEqual(['Ringing', 'On call', '', '2 min 35 s']);
    expect(requests.some((r) => r.url.searchParams.get('userId') === '2')).toBe(true);
    expect(
      screen.getByRole('link', {
        name: `Download CSV of the agent-state history of ${DEMO_REPORT_DAY} for agent2`,
      }),
    ).toHaveAttribute('href', `/api/agent-states/history/export.csv?date=${DEMO_REPORT_DAY}&userId=2`);
  });

  it('says what is wrong with a day that is not one, and asks nothing', async () => {
    const { user } = renderAs('operator', () => <AgentHistoryScreen />);
    await screen.findByText('No agent’s state changed that day.');
    await user.clear(screen.getByLabelText('Day'));
    await waitFor(() =>
      expect(screen.getByLabelText('Day')).toHaveAccessibleDescription('Date must be a day like 2026-12-06.'),
    );
    expect(screen.queryByRole('link', { name: /Download/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
