import { screen, waitFor, within } from '@testing-library/react';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { renderAs, recordRequests, toasts } from '../../testing/admin-screens';
import { seriousAxeViolations } from '../../testing/axe';
import { fakeDb, manyUsers } from '../../testing/fake-db';
import { apiError } from '../../testing/handlers/api-errors';
import { FAKE_PASSWORD } from '../../testing/handlers/users';
import { server } from '../../testing/msw-server';
import { UsersScreen } from './users-screen';

const renderUsers = (role: 'supervisor' | 'admin' = 'admin') =>
  renderAs(role, (me) => <UsersScreen me={me} />);

async function usersTable() {
  const table = await screen.findByRole('table', { name: 'Users' });
  await within(table).findByRole('rowheader', { name: 'Administrator' });
  return table;
}

const bodyRows = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .filter((row) => row.closest('tbody') && !row.classList.contains('virtual-spacer'));

describe('users screen', () => {
  it('lists users for a supervisor, read only', async () => {
    renderUsers('supervisor');
    const table = await usersTable();
    expect(within(table).getByRole('rowheader', { name: 'Agent Two' })).toBeInTheDocument();
    expect(screen.getByRole('status', { name: '' })).toHaveTextContent('6 users');
    expect(
      screen.queryByRole('button', { name: /add user|edit|reset password|delete/i }),
    ).not.toBeInTheDocument();
  });

  it('stays small with 5 000 users: only the rows in view are in the page', async () => {
    fakeDb.state.users.push(...manyUsers(5000));
    renderUsers();
    const table = await usersTable();
    expect(await screen.findByText('5,006 users')).toBeInTheDocument();
    expect(table).toHaveAttribute('aria-rowcount', '5007');
    const rows = bodyRows(table);
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]).toHaveAttribute('aria-rowindex', '2');
  });

  it('searches on the server once typing pauses, and filters by role, profile and group', async () => {
    const requests = recordRequests();
    const { user } = renderUsers();
    await usersTable();
    await user.type(screen.getByLabelText('Search'), 'two');
    const searches = () =>
      requests
        .filter((request) => request.url.pathname === '/api/users')
        .map((request) => request.url.searchParams.get('q'))
        .filter((q) => q !== null);
    await waitFor(() => expect(searches().at(-1)).toBe('two'));
    // Not one request per key: the first goes at once, the rest wait for typing to pause.
    expect(searches().length).toBeLessThan(3);
    await waitFor(() => expect(screen.getByText('1 user match')).toBeInTheDocument());
    expect(screen.getByRole('table', { name: 'Users' })).not.toHaveTextContent('Administrator');

    await user.clear(screen.getByLabelText('Search'));
    await user.selectOptions(screen.getByLabelText('Role'), 'agent');
    await user.selectOptions(screen.getByLabelText('Profile'), 'agents');
    await user.selectOptions(screen.getByLabelText('Group'), 'floor_1');
    await waitFor(() => expect(screen.getByText('3 users match')).toBeInTheDocument());
    const last = requests.filter((request) => request.url.pathname === '/api/users').at(-1);
    expect(Object.fromEntries(last?.url.searchParams ?? [])).toEqual({
      role: 'agent',
      profileId: '1',
      group: 'floor_1',
      offset: '0',
      limit: '100',
    });
  });

  it('says what to do when nothing matches, and clears the filters', async () => {
    const { user } = renderUsers();
    await usersTable();
    await user.type(screen.getByLabelText('Search'), 'nobody-like-this');
    expect(await screen.findByText(/No users match these filters/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findByText('6 users')).toBeInTheDocument();
    expect(screen.getByLabelText('Search')).toHaveValue('');
  });

  it('adds a user: validates as you type, refuses a taken extension on the field, shows the password once', async () => {
    const { user } = renderUsers();
    await usersTable();
    await user.click(screen.getByRole('button', { name: 'Add user' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Add user' }));
    await user.type(dialog.getByLabelText('Username'), 'Dee Agent');
    expect(
      dialog.getByText('Username may contain only lower-case letters, digits and underscores.'),
    ).toBeVisible();
    await user.type(dialog.getByLabelText('Extension'), '12a');
    expect(dialog.getByText('Extension must be 2 to 15 digits.')).toBeVisible();
    await user.type(dialog.getByLabelText('Email'), 'dee@');
    expect(dialog.getByText('Email must be an address like name@example.com.')).toBeVisible();

    await user.clear(dialog.getByLabelText('Username'));
    await user.type(dialog.getByLabelText('Username'), 'agent4');
    await user.type(dialog.getByLabelText('Display name'), 'Dee Agent');
    await user.clear(dialog.getByLabelText('Extension'));
    await user.type(dialog.getByLabelText('Extension'), '1001');
    await user.clear(dialog.getByLabelText('Email'));
    await user.type(dialog.getByLabelText('Location'), 'Floor 2');
    await user.selectOptions(dialog.getByLabelText('Profile'), 'agents');

    server.use(
      http.post(
        '/api/users',
        () =>
          apiError(409, {
            code: 'conflict',
            message: 'Extension 1001 belongs to agent1; choose another.',
            fields: { extension: 'Extension 1001 belongs to agent1; choose another.' },
          }),
        { once: true },
      ),
    );
    await user.click(dialog.getByRole('button', { name: 'Add user' }));
    expect(await dialog.findByText('Extension 1001 belongs to agent1; choose another.')).toBeVisible();
    expect(dialog.getByLabelText('Extension')).toHaveFocus();
    expect(
      toasts().getByText(/Could not add the user: Extension 1001 belongs to agent1/),
    ).toBeInTheDocument();

    await user.clear(dialog.getByLabelText('Extension'));
    await user.type(dialog.getByLabelText('Extension'), '1010');
    await user.click(dialog.getByRole('button', { name: 'Add user' }));

    const shown = await screen.findByRole('dialog', { name: 'Dee Agent was added' });
    expect(shown).toHaveTextContent(FAKE_PASSWORD);
    expect(shown).toHaveTextContent('It is shown only now.');
    await user.click(within(shown).getByRole('button', { name: 'Copy password' }));
    expect(await navigator.clipboard.readText()).toBe(FAKE_PASSWORD);
    expect(within(shown).getByRole('status')).toHaveTextContent('Copied to the clipboard.');

    await user.click(within(shown).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(FAKE_PASSWORD);
    expect(await screen.findByText('7 users')).toBeInTheDocument();
    expect(fakeDb.state.users.find((candidate) => candidate.username === 'agent4')).toMatchObject({
      extension: '1010',
      location: 'Floor 2',
      email: null,
      profileId: 1,
      role: 'agent',
    });
  });

  it('changes role, profile and call-list privacy, sending only what changed', async () => {
    const requests = recordRequests();
    const { user } = renderUsers();
    await usersTable();
    await user.click(screen.getByRole('button', { name: 'Edit Agent Two' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Edit Agent Two (agent2)' }));
    await user.selectOptions(dialog.getByLabelText('Role'), 'operator');
    await user.selectOptions(dialog.getByLabelText('Profile'), 'operators');
    await user.selectOptions(dialog.getByLabelText('Call-list privacy'), 'shortened');
    await user.click(dialog.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const patch = requests.find((request) => request.method === 'PATCH');
    expect(patch?.url.pathname).toBe('/api/users/2');
    expect(patch?.body).toEqual({ role: 'operator', profileId: 2, callListPrivacy: 'shortened' });
    expect(toasts().getByText('Agent Two saved.')).toBeInTheDocument();
  });

  it('tells why a change was refused', async () => {
    server.use(
      http.patch('/api/users/:id', () =>
        apiError(403, {
          code: 'forbidden',
          message: 'This is the last admin; make another user admin first.',
        }),
      ),
    );
    const { user } = renderUsers();
    await usersTable();
    await user.click(screen.getByRole('button', { name: 'Edit Administrator' }));
    const dialog = within(screen.getByRole('dialog'));
    await user.selectOptions(dialog.getByLabelText('Role'), 'agent');
    await user.click(dialog.getByRole('button', { name: 'Save changes' }));
    expect(
      await toasts().findByText(
        'Could not change Administrator: This is the last admin; make another user admin first.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('resets a password after asking, and shows the new one once', async () => {
    const { user } = renderUsers();
    await usersTable();
    await user.click(screen.getByRole('button', { name: 'Edit Agent Two' }));
    await user.click(screen.getByRole('button', { name: 'Reset password…' }));
    expect(screen.getByText(/They are signed out and need the new password/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Reset password' }));
    const shown = await screen.findByRole('dialog', { name: 'New password for Agent Two' });
    expect(shown).toHaveTextContent(FAKE_PASSWORD);
    await user.keyboard('{Escape}');
    expect(document.body).not.toHaveTextContent(FAKE_PASSWORD);
  });

  it('deletes a user after confirmation, but never the admin themselves', async () => {
    const { user } = renderUsers();
    await usersTable();
    await user.click(screen.getByRole('button', { name: 'Edit Administrator' }));
    expect(screen.getByText('You cannot delete yourself; another admin can.')).toBeInTheDocument();
    await user.keyboard('{Escape}');

    await user.click(screen.getByRole('button', { name: 'Edit Agent Three' }));
    await user.click(screen.getByRole('button', { name: 'Delete user…' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Delete Agent Three?' });
    expect(confirm).toHaveTextContent('leaves floor_1');
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(await screen.findByText('5 users')).toBeInTheDocument();
    expect(toasts().getByText('Agent Three was deleted.')).toBeInTheDocument();
  });

  it('is free of serious accessibility problems', async () => {
    const { container, user } = renderUsers();
    await usersTable();
    expect(await seriousAxeViolations(container)).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Add user' }));
    expect(await seriousAxeViolations(container)).toEqual([]);
  });
});
