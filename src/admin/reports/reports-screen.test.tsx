import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { recordRequests, renderAs } from '../../testing/admin-screens';
import { seriousAxeViolations } from '../../testing/axe';
import { DEMO_REPORT_DAY } from '../../testing/demo-contact-center';
import { ReportsScreen } from './reports-screen';

describe('queue reports', () => {
  it('shows each queue’s and agent’s figures for the chosen day, with CSV links of that day', async () => {
    const requests = recordRequests();
    const { user, container } = renderAs('supervisor', () => <ReportsScreen />);
    expect(await screen.findByText('No queue calls that day.')).toBeInTheDocument();

    const day = screen.getByLabelText('Day');
    await user.clear(day);
    await user.type(day, DEMO_REPORT_DAY);
    const queues = await screen.findByRole('table', { name: 'Queues' });
    const sales = within(within(queues).getByRole('row', { name: /^sales/ }));
    expect(sales.getAllByRole('cell').map((cell) => cell.textContent)).toEqual([
      '45',
      '41',
      '3',
      '1',
      '87 %',
      '0:14',
      '1:35',
      '4:05',
    ]);
    const agents = screen.getByRole('table', { name: 'Agents' });
    const alex = within(within(agents).getByRole('row', { name: /^agent1/ }));
    expect(alex.getAllByRole('cell').map((cell) => cell.textContent)).toEqual([
      '8',
      '7',
      '1',
      '4:10',
      '1:00:00',
      '29:10',
      '3:30',
      '15:00',
    ]);
    expect(requests.some((request) => request.url.search === `?date=${DEMO_REPORT_DAY}`)).toBe(true);

    const queuesCsv = screen.getByRole('link', {
      name: `Download CSV of the queues report of ${DEMO_REPORT_DAY}`,
    });
    expect(queuesCsv).toHaveAttribute('href', `/api/reports/queues/export.csv?date=${DEMO_REPORT_DAY}`);
    expect(
      screen.getByRole('link', { name: `Download CSV of the agents report of ${DEMO_REPORT_DAY}` }),
    ).toHaveAttribute('href', `/api/reports/agents/export.csv?date=${DEMO_REPORT_DAY}`);
    expect(await seriousAxeViolations(container)).toEqual([]);
  });

  it('says what is wrong with a day that is not one, and asks nothing', async () => {
    const { user } = renderAs('supervisor', () => <ReportsScreen />);
    await screen.findByText('No queue calls that day.');
    await user.clear(screen.getByLabelText('Day'));
    await waitFor(() =>
      expect(screen.getByLabelText('Day')).toHaveAccessibleDescription('Date must be a day like 2026-12-06.'),
    );
    expect(screen.queryByRole('link', { name: /Download/ })).not.toBeInTheDocument();
  });
});
