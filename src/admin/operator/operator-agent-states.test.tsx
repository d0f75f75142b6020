import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MonitorLinkContext } from '../../lib/monitor-link';
import { fakeDb } from '../../testing/fake-db';
import { renderAs } from '../../testing/admin-screens';
import { OperatorScreen } from './operator-screen';

const NOW = Date.parse('2026-11-23T09:01:23.000Z');

const row = (name: string) => within(screen.getByRole('row', { name: new RegExp(`^${name}`) }));
/** The "Agent state" cell of a member's row. */
function agentStateCell(name: string): HTMLElement {
  const table = screen.getByRole('table', { name: 'Members of floor_1' });
  const headers = within(table).getAllByRole('columnheader');
  const column = headers.findIndex((header) => header.textContent === 'Agent state');
  const cells = row(name).getAllByRole('cell');
  // The row header is the first column, so the cells start at column 1.
  const cell = cells[column - 1];
  if (!cell) throw new Error(`No agent state cell for ${name}.`);
  return cell;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('operator panel: agent states', () => {
  it('shows each member’s agent state and time in it beside the calls, and follows agent events', async () => {
    const { source } = renderAs('operator', (me) => (
      <MonitorLinkContext.Provider value={null}>
        <OperatorScreen me={me} />
      </MonitorLinkContext.Provider>
    ));
    await screen.findByRole('table', { name: 'Members of floor_1' });
    await waitFor(() => expect(agentStateCell('Agent Three')).toHaveTextContent('Not ready — Lunch · 30:00'));
    expect(agentStateCell('Agent One')).toHaveTextContent('On call · 1:23');
    expect(row('Agent One').getByText('On a call with Dana Customer (1050) · 1:23')).toBeInTheDocument();
    expect(agentStateCell('Agent Two')).toHaveTextContent('Ringing · 0:03');

    const agent3 = fakeDb.state.agents.find((agent) => agent.userId === 3);
    if (!agent3) throw new Error('No demo agent for agent3.');
    Object.assign(agent3, { state: 'available', reason: null, since: new Date(NOW).toISOString() });
    act(() => source.emit('change', { entity: 'agent', id: 3 }));
    await waitFor(() => expect(agentStateCell('Agent Three')).toHaveTextContent('Available · 0:00'), {
      timeout: 3_000,
    });
  });
});
