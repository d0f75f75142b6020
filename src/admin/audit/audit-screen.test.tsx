import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../contracts/audit';
import { renderAs, recordRequests } from '../../testing/admin-screens';
import { seriousAxeViolations } from '../../testing/axe';
import { fakeDb } from '../../testing/fake-db';
import { auditChanges } from './audit-changes';
import { AuditScreen } from './audit-screen';

describe('audit log screen', () => {
  it('shows who, when, what, and before → after of the changed keys only', async () => {
    renderAs('supervisor', () => <AuditScreen />);
    const table = await screen.findByRole('table', { name: 'Audit log' });
    const [, newest, older, seeded] = within(table).getAllByRole('row');
    expect(newest).toHaveTextContent('supervisor');
    expect(newest).toHaveTextContent('Added group member group floor_1 #1');
    expect(newest).toHaveTextContent('members: added agent3');
    expect(older).toHaveTextContent('admin');
    expect(older).toHaveTextContent('Changed profile profile agents #1');
    expect(older).toHaveTextContent('capacity: 40 → became 50');
    expect(older).toHaveTextContent('flags: added transfer');
    expect(older).not.toHaveTextContent('channel limit');
    expect(within(older as HTMLElement).getByText('2026', { exact: false }).tagName).toBe('TIME');
    // Every action the server writes has the console's words (contracts/audit-actions.ts).
    expect(seeded).toHaveTextContent('Created the demo data');
  });

  it('filters by who, entity and action, and pages', async () => {
    const requests = recordRequests();
    const { user } = renderAs('admin', () => <AuditScreen />);
    await screen.findByRole('table', { name: 'Audit log' });
    await user.selectOptions(screen.getByLabelText('Entity'), 'profile');
    await user.selectOptions(screen.getByLabelText('Action'), 'profile.update');
    await user.type(screen.getByLabelText('Who'), 'admin');
    await waitFor(() => expect(requests.at(-1)?.url.searchParams.get('actor')).toBe('admin'));
    expect(Object.fromEntries(requests.at(-1)?.url.searchParams ?? [])).toMatchObject({
      entity: 'profile',
      action: 'profile.update',
      actor: 'admin',
    });
    expect(await screen.findByText('1–1 of 1 entries')).toBeInTheDocument();
    await user.clear(screen.getByLabelText('Who'));
    await user.type(screen.getByLabelText('Who'), 'nobody');
    expect(await screen.findByText(/No entries match these filters/)).toBeInTheDocument();
  });

  it('pages through a long log', async () => {
    const entries: AuditEntry[] = Array.from({ length: 55 }, (_, index) => ({
      id: 100 + index,
      at: '2026-11-24T09:00:00.000Z',
      actorId: 6,
      actorUsername: 'admin',
      action: 'user.reset_password',
      entity: 'user',
      entityId: '2',
      before: null,
      after: null,
    }));
    fakeDb.state.audit.unshift(...entries);
    const { user } = renderAs('admin', () => <AuditScreen />);
    expect(await screen.findByText('1–50 of 58 entries')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('51–58 of 58 entries')).toBeInTheDocument();
  });

  it('is free of serious accessibility problems', async () => {
    const { container } = renderAs('supervisor', () => <AuditScreen />);
    await screen.findByRole('table', { name: 'Audit log' });
    expect(await seriousAxeViolations(container)).toEqual([]);
  });
});

describe('auditChanges', () => {
  it('lists only changed keys, lists as added and removed', () => {
    expect(
      auditChanges(
        { name: 'a', capacity: 1, flags: ['call', 'barge'], bargeGroup: null },
        { name: 'a', capacity: 2, flags: ['call', 'listen'], bargeGroup: 'floor_1' },
      ),
    ).toEqual([
      { kind: 'changed', key: 'capacity', before: '1', after: '2' },
      { kind: 'list', key: 'flags', added: ['listen'], removed: ['barge'] },
      { kind: 'changed', key: 'bargeGroup', before: 'none', after: 'floor_1' },
    ]);
  });

  it('shows what a creation set and what a deletion removed', () => {
    expect(auditChanges(null, { name: 'night', monitorNotice: false })).toEqual([
      { kind: 'set', key: 'name', after: 'night' },
      { kind: 'set', key: 'monitorNotice', after: 'no' },
    ]);
    expect(auditChanges({ name: 'night' }, null)).toEqual([{ kind: 'was', key: 'name', before: 'night' }]);
    expect(auditChanges(null, null)).toEqual([]);
  });
});
