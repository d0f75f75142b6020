import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderAs } from '../../testing/admin-screens';
import { seriousAxeViolations } from '../../testing/axe';
import { fakeDb } from '../../testing/fake-db';
import { WallboardScreen } from './wallboard-screen';

const NOW = Date.parse('2026-11-23T09:01:23.000Z');

const card = (name: string) => within(screen.getByRole('article', { name }));
/** The figure named `name` in a card: its <dd>. */
const figure = (cardName: string, name: string) =>
  card(cardName).getByText(name, { selector: 'dt' }).nextElementSibling?.textContent;

describe('wallboard', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows each queue’s figures and agents by state, and every agent with time in state', async () => {
    renderAs('operator', () => <WallboardScreen />);
    await screen.findByRole('article', { name: 'sales' });
    expect(figure('sales', 'Waiting')).toBe('2');
    expect(figure('sales', 'Longest wait')).toBe('1:35');
    expect(figure('sales', 'Answered today')).toBe('41');
    expect(figure('sales', 'Abandoned today')).toBe('3');
    expect(figure('sales', 'Service level')).toBe('87 %');
    expect(figure('sales', 'Average handle time')).toBe('4:05');
    expect(figure('sales', 'Busy')).toBe('2');
    expect(figure('sales', 'Not ready')).toBe('1');
    expect(figure('sales', 'Available')).toBe('0');

    expect(figure('support', 'Waiting')).toBe('0');
    expect(figure('support', 'Longest wait')).toBe('—');
    expect(figure('support', 'Service level')).toBe('—');
    expect(figure('support', 'Average handle time')).toBe('—');

    const agents = await screen.findByRole('table', { name: 'Agents' });
    const agent3 = within(within(agents).getByRole('row', { name: /^Agent Three/ }));
    expect(agent3.getByText('Not ready — Lunch')).toBeInTheDocument();
    expect(agent3.getByText('30:00')).toBeInTheDocument();
    const agent1 = within(within(agents).getByRole('row', { name: /^Agent One/ }));
    expect(agent1.getByText('On call')).toBeInTheDocument();
    expect(agent1.getByText('7')).toBeInTheDocument();
  });

  it('follows live events: a caller waiting and an agent’s change show at once', async () => {
    const { source } = renderAs('supervisor', () => <WallboardScreen />);
    await screen.findByRole('article', { name: 'sales' });
    const sales = fakeDb.state.wallboard.queues[0];
    const agent2 = fakeDb.state.agents.find((agent) => agent.userId === 2);
    if (!sales || !agent2) throw new Error('No demo sales queue or agent2.');
    sales.waiting = 3;
    sales.answeredToday = 42;
    Object.assign(agent2, { state: 'available', since: new Date(NOW).toISOString() });
    act(() => {
      source.emit('change', { entity: 'call', id: 'queue-call-9' });
      source.emit('change', { entity: 'agent', id: 2 });
    });
    await waitFor(() => expect(figure('sales', 'Waiting')).toBe('3'), { timeout: 3_000 });
    expect(figure('sales', 'Answered today')).toBe('42');
    const agents = screen.getByRole('table', { name: 'Agents' });
    await waitFor(() =>
      expect(within(agents).getByRole('row', { name: /^Agent Two/ })).toHaveTextContent('Available'),
    );
  });

  it('asks again every 5 s, since a caller’s wait grows without any event', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'], now: NOW });
    renderAs('operator', () => <WallboardScreen />);
    await screen.findByRole('article', { name: 'sales' });
    const sales = fakeDb.state.wallboard.queues[0];
    if (!sales) throw new Error('No demo sales queue.');
    sales.longestWaitSeconds = 140;
    act(() => vi.advanceTimersByTime(4_000));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(figure('sales', 'Longest wait')).toBe('1:35');
    act(() => vi.advanceTimersByTime(1_000));
    await waitFor(() => expect(figure('sales', 'Longest wait')).toBe('2:20'));
  });

  it('has a large-screen mode with big figures, left with the button or Escape', async () => {
    const { user, container } = renderAs('operator', () => <WallboardScreen />);
    await screen.findByRole('article', { name: 'sales' });
    const toggle = screen.getByRole('button', { name: 'Large screen' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    expect(container.querySelector('.wallboard')).toHaveClass('wallboard-large');
    await user.keyboard('{Escape}');
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    expect(container.querySelector('.wallboard')).not.toHaveClass('wallboard-large');
    expect(toggle).toHaveFocus();
  });

  it('says when there are no queues yet', async () => {
    fakeDb.state.wallboard.queues = [];
    renderAs('operator', () => <WallboardScreen />);
    expect(
      await screen.findByText('There are no queues yet. Supervisors create them under Queues.'),
    ).toBeInTheDocument();
  });

  it('is free of serious accessibility problems, in large-screen mode too', async () => {
    const { user, container } = renderAs('operator', () => <WallboardScreen />);
    await screen.findByRole('table', { name: 'Agents' });
    expect(await seriousAxeViolations(container)).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Large screen' }));
    expect(await seriousAxeViolations(container)).toEqual([]);
  });
});
