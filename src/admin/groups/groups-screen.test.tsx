import { screen, waitFor, within } from '@testing-library/react';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { renderAs, toasts } from '../../testing/admin-screens';
import { seriousAxeViolations } from '../../testing/axe';
import { fakeDb } from '../../testing/fake-db';
import { apiError } from '../../testing/handlers/api-errors';
import { server } from '../../testing/msw-server';
import { GroupsScreen } from './groups-screen';

const renderGroups = (role: 'operator' | 'supervisor' | 'admin' = 'supervisor') =>
  renderAs(role, (me) => <GroupsScreen me={me} />);

const group = (name: string) => within(screen.getByRole('region', { name: `Group ${name}` }));

function addFloor2() {
  fakeDb.state.groups.push({
    id: 2,
    name: 'floor_2',
    members: [{ id: 2, username: 'agent2', displayName: 'Agent Two', extension: '1002' }],
    bargeProfiles: [],
    createdAt: '2026-11-23T09:00:00.000Z',
  });
}

describe('groups screen', () => {
  it('lists groups with their members and who monitors them', async () => {
    renderGroups();
    await screen.findByRole('region', { name: 'Group floor_1' });
    const floor = group('floor_1');
    expect(floor.getByText('3 members · monitored by operators')).toBeInTheDocument();
    expect(floor.getByRole('list', { name: 'Members of floor_1' })).toHaveTextContent('Agent One');
  });

  it('creates a group, validating as you type and showing "name taken" on the field', async () => {
    const { user } = renderGroups();
    await screen.findByRole('region', { name: 'Group floor_1' });
    const name = screen.getByLabelText('New group');
    await user.type(name, 'Floor 2');
    expect(name).toHaveAccessibleDescription(
      expect.stringContaining('Name may contain only lower-case letters, digits and underscores.'),
    );
    await user.clear(name);
    await user.type(name, 'floor_1');
    server.use(
      http.post(
        '/api/groups',
        () =>
          apiError(409, {
            code: 'conflict',
            message: 'A group named floor_1 already exists.',
            fields: { name: 'A group named floor_1 already exists.' },
          }),
        { once: true },
      ),
    );
    await user.click(screen.getByRole('button', { name: 'Create group' }));
    await waitFor(() =>
      expect(name).toHaveAccessibleDescription(
        expect.stringContaining('A group named floor_1 already exists.'),
      ),
    );
    expect(
      toasts().getByText('Could not create the group: A group named floor_1 already exists.'),
    ).toBeVisible();

    await user.clear(name);
    await user.type(name, 'floor_2{Enter}');
    expect(await screen.findByRole('region', { name: 'Group floor_2' })).toHaveTextContent('No members yet.');
    expect(name).toHaveValue('');
  });

  it('renames in place and deletes after saying what happens', async () => {
    const { user } = renderGroups();
    await screen.findByRole('region', { name: 'Group floor_1' });
    await user.click(screen.getByRole('button', { name: 'Rename group floor_1' }));
    await user.clear(screen.getByLabelText('New name for group floor_1'));
    await user.type(screen.getByLabelText('New name for group floor_1'), 'ground_floor{Enter}');
    expect(await screen.findByRole('region', { name: 'Group ground_floor' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Delete group ground_floor' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete group ground_floor?' });
    expect(dialog).toHaveTextContent('Its 3 members stay users');
    expect(dialog).toHaveTextContent('Profile operators loses its barge group');
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText(/There are no groups yet/)).toBeInTheDocument();
  });

  it('adds a member found by searching, and removes one in one click', async () => {
    const { user } = renderGroups();
    await screen.findByRole('region', { name: 'Group floor_1' });
    await user.type(group('floor_1').getByLabelText('Add a member to floor_1'), 'olivia');
    await user.click(await group('floor_1').findByRole('button', { name: 'Add Olivia Operator' }));
    const members = group('floor_1').getByRole('list', { name: 'Members of floor_1' });
    expect(members).toHaveTextContent('Olivia Operator');
    expect(await group('floor_1').findByText('Member')).toBeInTheDocument();

    await user.click(group('floor_1').getByRole('button', { name: 'Remove Agent One from floor_1' }));
    expect(members).not.toHaveTextContent('Agent One');
    await waitFor(() =>
      expect(fakeDb.state.groups[0]?.members.map((m) => m.username)).not.toContain('agent1'),
    );
  });

  it('puts a refused membership change back, and says why in a toast', async () => {
    server.use(
      http.delete('/api/groups/:id/members/:userId', async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return apiError(403, {
          code: 'forbidden',
          message: 'Operators may change only their own barge group (floor_1), not floor_2.',
        });
      }),
    );
    const { user } = renderGroups();
    await screen.findByRole('region', { name: 'Group floor_1' });
    const members = group('floor_1').getByRole('list', { name: 'Members of floor_1' });
    await user.click(group('floor_1').getByRole('button', { name: 'Remove Agent Two from floor_1' }));
    expect(members).not.toHaveTextContent('Agent Two');
    await waitFor(() => expect(members).toHaveTextContent('Agent Two'));
    expect(
      toasts().getByText(
        'Could not remove Agent Two from floor_1: Operators may change only their own barge group (floor_1), not floor_2.',
      ),
    ).toBeInTheDocument();
  });

  it('gives an operator membership controls of their barge group only', async () => {
    addFloor2();
    renderGroups('operator');
    await screen.findByRole('region', { name: 'Group floor_2' });
    expect(screen.queryByLabelText('New group')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Delete group/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Rename group/ })).not.toBeInTheDocument();
    expect(
      group('floor_1').getByRole('button', { name: 'Remove Agent One from floor_1' }),
    ).toBeInTheDocument();
    expect(group('floor_1').getByLabelText('Add a member to floor_1')).toBeInTheDocument();
    expect(group('floor_2').queryByRole('button')).not.toBeInTheDocument();
    expect(group('floor_2').queryByRole('searchbox')).not.toBeInTheDocument();
  });

  it('is free of serious accessibility problems', async () => {
    addFloor2();
    const { container, user } = renderGroups();
    await screen.findByRole('region', { name: 'Group floor_1' });
    await user.type(group('floor_1').getByLabelText('Add a member to floor_1'), 'a');
    await group('floor_1').findByRole('list', { name: 'Users matching a' });
    expect(await seriousAxeViolations(container)).toEqual([]);
  });
});
