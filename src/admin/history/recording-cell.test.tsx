import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { CallRecord } from '../../../contracts/calls';
import type { RecordingSummary } from '../../../contracts/recordings';
import type { Role } from '../../../contracts/roles';
import { recordRequests, renderAs, toasts } from '../../testing/admin-screens';
import { demoCalls } from '../../testing/demo-data';
import { fakeDb } from '../../testing/fake-db';
import { CallHistoryScreen } from './call-history-screen';

// The Recording column of the call history: what the row offers comes from what the API lists
// for the call (the server decides who may hear it); Delete is offered to admins only.

const READY_ID = '5f0c3d1e-8a4b-4c2d-9e6f-0a1b2c3d4e5f';
const OPEN_ID = '6a1d4e2f-9b5c-4d3e-8f70-1b2c3d4e5f60';

function recordedCall(recordings: RecordingSummary[]): CallRecord {
  const base = demoCalls[0] as CallRecord;
  return {
    ...base,
    id: 77,
    callId: 'recorded-call',
    startedAt: '2026-11-24T09:00:00.000Z',
    answeredAt: '2026-11-24T09:00:03.000Z',
    endedAt: '2026-11-24T09:03:03.000Z',
    recordings,
  };
}

const ready: RecordingSummary = {
  id: READY_ID,
  username: 'agent1',
  state: 'ready',
  durationMs: 180_000,
  pauses: [
    {
      byUsername: 'agent1',
      pausedAt: '2026-11-24T09:01:00.000Z',
      resumedAt: '2026-11-24T09:01:20.000Z',
      offsetMs: 57_000,
      durationMs: 20_000,
    },
  ],
};

/** The recorded call's row (the newest, so the first under the header). */
async function recordedRow(role: Role, scope: 'all' | 'own' = 'all') {
  const rendered = renderAs(role, (me) => <CallHistoryScreen scope={scope} me={me} />);
  const table = await screen.findByRole('table', { name: 'Call history' });
  const row = within(table).getAllByRole('row')[1] as HTMLElement;
  expect(row).toHaveTextContent('Agent One');
  return { ...rendered, row: within(row) };
}

describe('call history: the Recording column', () => {
  it.each([
    ['agent', 'own'],
    ['operator', 'all'],
    ['supervisor', 'all'],
  ] as const)('offers the %s play and download of a listed recording, and no Delete', async (role, scope) => {
    fakeDb.state.calls.push(recordedCall([ready]));
    const { row } = await recordedRow(role, scope);
    const player = row.getByLabelText('Recording by agent1');
    expect(player.tagName).toBe('AUDIO');
    expect(player).toHaveAttribute('src', `/api/recordings/${READY_ID}/audio`);
    // Nothing is fetched until the person presses play.
    expect(player).toHaveAttribute('preload', 'none');
    const download = row.getByRole('link', { name: 'Download recording by agent1' });
    expect(download).toHaveAttribute('href', `/api/recordings/${READY_ID}/audio?download=1`);
    expect(download).toHaveAttribute('download');
    expect(row.getByText(/agent1, 3 min, paused 1×/)).toBeInTheDocument();
    expect(row.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
  });

  it('offers nothing to play for a call the API lists no recording of, nor for one still being made', async () => {
    fakeDb.state.calls.push(
      recordedCall([{ id: OPEN_ID, username: 'agent2', state: 'recording', durationMs: null, pauses: [] }]),
    );
    const { row } = await recordedRow('admin');
    expect(row.getByText('Recording by agent2: being made')).toBeInTheDocument();
    expect(row.queryByLabelText('Recording by agent2')).not.toBeInTheDocument();
    expect(row.queryByRole('link', { name: /Download/ })).not.toBeInTheDocument();
    expect(row.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();

    const table = screen.getByRole('table', { name: 'Call history' });
    const plain = within(table).getAllByRole('row')[2] as HTMLElement;
    const cells = within(plain).getAllByRole('cell');
    expect(cells.at(-1)).toHaveTextContent(/^None$/);
    expect(within(plain).queryByRole('link', { name: /Download/ })).not.toBeInTheDocument();
  });

  it('gives admins Delete, which asks first and takes the recording off the row', async () => {
    fakeDb.state.calls.push(recordedCall([ready]));
    const requests = recordRequests();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    const { row, user } = await recordedRow('admin');

    await user.click(row.getByRole('button', { name: 'Delete' }));
    expect(confirm).toHaveBeenLastCalledWith('Delete the recording by agent1? This cannot be undone.');
    expect(requests.filter((request) => request.method === 'DELETE')).toEqual([]);

    await user.click(row.getByRole('button', { name: 'Delete' }));
    await waitFor(() =>
      expect(requests.filter((request) => request.method === 'DELETE').map((r) => r.url.pathname)).toEqual([
        `/api/recordings/${READY_ID}`,
      ]),
    );
    expect(await toasts().findByText('Recording deleted.')).toBeInTheDocument();
    await waitFor(() => expect(row.queryByLabelText('Recording by agent1')).not.toBeInTheDocument());
    expect(row.getAllByRole('cell').at(-1)).toHaveTextContent(/^None$/);
  });
});
