import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../contracts/calls';
import { renderAs, recordRequests } from '../../testing/admin-screens';
import { seriousAxeViolations } from '../../testing/axe';
import { demoCalls } from '../../testing/demo-data';
import { demoOutboundCall } from '../../testing/demo-trunks';
import { fakeDb } from '../../testing/fake-db';
import { CallHistoryScreen } from './call-history-screen';

function manyCalls(count: number): CallRecord[] {
  const base = demoCalls[0] as CallRecord;
  return Array.from({ length: count }, (_, index) => ({
    ...base,
    id: 100 + index,
    callId: `bulk-${index}`,
    startedAt: new Date(Date.parse('2026-11-20T09:00:00Z') + index * 60_000).toISOString(),
  }));
}

describe('call history screen', () => {
  it('lists calls with outcome and talk time', async () => {
    renderAs('supervisor', (me) => <CallHistoryScreen scope="all" me={me} />);
    const table = await screen.findByRole('table', { name: 'Call history' });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('Agent Two');
    expect(rows[1]).toHaveTextContent('Missed');
    expect(rows[2]).toHaveTextContent('Answered');
    expect(rows[2]).toHaveTextContent('3 min 6 s');
  });

  it('shows the direction, and on a trunk call the customer’s number and the trunk', async () => {
    fakeDb.state.calls.push(structuredClone(demoOutboundCall));
    renderAs('supervisor', (me) => <CallHistoryScreen scope="all" me={me} />);
    const table = await screen.findByRole('table', { name: 'Call history' });
    const [, outbound, internal] = within(table).getAllByRole('row');
    const direction = within(outbound as HTMLElement).getAllByRole('cell')[1];
    expect(direction).toHaveTextContent(/^↗ Outbound\+4915112345678 via carrier_de$/);
    expect(outbound).toHaveTextContent('Agent One');
    expect(outbound).toHaveTextContent('Answered');
    expect(within(internal as HTMLElement).getAllByRole('cell')[1]).toHaveTextContent(/^↔ Internal$/);
  });

  it('filters by outcome, profile and day, and exports the same filters as CSV', async () => {
    const requests = recordRequests();
    const { user } = renderAs('supervisor', (me) => <CallHistoryScreen scope="all" me={me} />);
    await screen.findByRole('table', { name: 'Call history' });
    await user.selectOptions(screen.getByLabelText('Outcome'), 'missed');
    await user.selectOptions(screen.getByLabelText('Profile'), 'agents');
    await user.type(screen.getByLabelText('From day'), '2026-11-23');
    await waitFor(() =>
      expect(requests.at(-1)?.url.searchParams.get('from')).toBe(
        new Date('2026-11-23T00:00:00').toISOString(),
      ),
    );
    const params = requests.at(-1)?.url.searchParams;
    expect(params?.get('disposition')).toBe('missed');
    expect(params?.get('profileId')).toBe('1');
    const link = screen.getByRole('link', { name: 'Export CSV of the calls these filters match' });
    const exported = new URL(link.getAttribute('href') ?? '', 'http://localhost');
    expect(exported.pathname).toBe('/api/calls/export.csv');
    expect(Object.fromEntries(exported.searchParams)).toEqual({
      profileId: '1',
      disposition: 'missed',
      from: params?.get('from'),
    });
    expect(await screen.findAllByRole('row')).toHaveLength(2);
  });

  it('filters by a user found by searching', async () => {
    const requests = recordRequests();
    const { user } = renderAs('admin', (me) => <CallHistoryScreen scope="all" me={me} />);
    await screen.findByRole('table', { name: 'Call history' });
    await user.type(screen.getByLabelText('User'), 'one');
    await user.click(await screen.findByRole('button', { name: 'Show calls of Agent One' }));
    await waitFor(() => expect(requests.at(-1)?.url.searchParams.get('userId')).toBe('1'));
    expect(screen.getByRole('button', { name: 'Any user instead of Agent One' })).toBeInTheDocument();
  });

  it('pages through the history', async () => {
    fakeDb.state.calls.push(...manyCalls(60));
    const { user } = renderAs('supervisor', (me) => <CallHistoryScreen scope="all" me={me} />);
    expect(await screen.findByText('1–50 of 62 calls')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous page' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('51–62 of 62 calls')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
  });

  it('gives an agent their own calls, without user and profile filters', async () => {
    renderAs('agent', (me) => <CallHistoryScreen scope="own" me={me} />);
    await screen.findByRole('table', { name: 'Call history' });
    expect(screen.queryByLabelText('User')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Profile')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Outcome')).toBeInTheDocument();
  });

  it('says what to do when no call matches, and when the days are the wrong way round', async () => {
    const { user } = renderAs('supervisor', (me) => <CallHistoryScreen scope="all" me={me} />);
    await screen.findByRole('table', { name: 'Call history' });
    await user.selectOptions(screen.getByLabelText('Outcome'), 'busy');
    expect(await screen.findByText(/No calls match these filters/)).toBeInTheDocument();
    await user.type(screen.getByLabelText('From day'), '2026-11-24');
    await user.type(screen.getByLabelText('To day'), '2026-11-23');
    expect(screen.getByText('The first day is after the last day.')).toBeInTheDocument();
  });

  it('is free of serious accessibility problems', async () => {
    const { container } = renderAs('supervisor', (me) => <CallHistoryScreen scope="all" me={me} />);
    await screen.findByRole('table', { name: 'Call history' });
    expect(await seriousAxeViolations(container)).toEqual([]);
  });
});
