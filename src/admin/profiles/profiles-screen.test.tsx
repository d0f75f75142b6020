import { screen, waitFor, within } from '@testing-library/react';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { renderAs, recordRequests, toasts } from '../../testing/admin-screens';
import { seriousAxeViolations } from '../../testing/axe';
import { fakeDb } from '../../testing/fake-db';
import { apiError } from '../../testing/handlers/api-errors';
import { server } from '../../testing/msw-server';
import { ProfilesScreen } from './profiles-screen';

const renderProfiles = (role: 'supervisor' | 'admin' = 'admin') =>
  renderAs(role, (me) => <ProfilesScreen me={me} />);

async function table() {
  return screen.findByRole('table', { name: 'SIP profiles' });
}

function rowOf(name: string) {
  const cell = screen.getAllByRole('rowheader').find((header) => header.textContent?.startsWith(name));
  if (!cell) throw new Error(`No row for ${name}`);
  return within(cell.closest('tr') as HTMLElement);
}

describe('profiles screen', () => {
  it('lists profiles with seats, channels, features, barge group and users', async () => {
    renderProfiles();
    await table();
    const agents = rowOf('agents');
    expect(agents.getByText('1 of 50 signed in')).toBeInTheDocument();
    expect(agents.getByText('0 of 50 in use')).toBeInTheDocument();
    expect(agents.getByRole('button', { name: 'Place calls' })).toHaveAttribute('aria-pressed', 'true');
    expect(agents.getByRole('button', { name: 'Barge in' })).toHaveAttribute('aria-pressed', 'false');
    expect(agents.getByText('3')).toBeInTheDocument();
    expect(rowOf('operators').getByText('floor_1')).toBeInTheDocument();
  });

  it('validates the new profile as you type, with the server’s messages, then creates it', async () => {
    const { user } = renderProfiles('supervisor');
    await table();
    await user.click(screen.getByRole('button', { name: 'New profile' }));
    const dialog = within(screen.getByRole('dialog', { name: 'New profile' }));

    await user.type(dialog.getByLabelText('Name'), 'Night Shift');
    expect(dialog.getByLabelText('Name')).toHaveAccessibleDescription(
      expect.stringContaining('Name may contain only lower-case letters, digits and underscores.'),
    );
    await user.type(dialog.getByLabelText('Channel limit'), '301');
    expect(dialog.getByText('Channel limit must be between 1 and 300.')).toBeInTheDocument();
    await user.type(dialog.getByLabelText('Capacity'), '0');
    expect(dialog.getByText('Capacity must be at least 1.')).toBeInTheDocument();

    await user.clear(dialog.getByLabelText('Name'));
    await user.type(dialog.getByLabelText('Name'), 'night_shift');
    await user.clear(dialog.getByLabelText('Capacity'));
    await user.type(dialog.getByLabelText('Capacity'), '1');
    await user.clear(dialog.getByLabelText('Channel limit'));
    await user.type(dialog.getByLabelText('Channel limit'), '5');
    expect(dialog.queryByText(/must/)).not.toBeInTheDocument();
    await user.click(dialog.getByRole('checkbox', { name: /Place calls/ }));
    await user.click(dialog.getByRole('button', { name: 'Create profile' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByRole('button', { name: 'Rename profile night_shift' })).toBeInTheDocument();
    expect(rowOf('night_shift').getByText('0 of 1 signed in')).toBeInTheDocument();
    expect(rowOf('night_shift').getByRole('button', { name: 'Place calls' })).toHaveAttribute(
      'aria-pressed',
      'false',
    );
    expect(toasts().getByText('Profile night_shift created.')).toBeInTheDocument();
  });

  it('shows every problem when submitted empty, and focuses the first', async () => {
    const { user } = renderProfiles();
    await table();
    await user.click(screen.getByRole('button', { name: 'New profile' }));
    await user.click(screen.getByRole('button', { name: 'Create profile' }));
    expect(screen.getByText('Name must not be empty.')).toBeInTheDocument();
    expect(screen.getByText('Capacity must be a number.')).toBeInTheDocument();
    expect(screen.getByText('Channel limit must be a number.')).toBeInTheDocument();
    expect(screen.getByLabelText('Name')).toHaveFocus();
  });

  it('shows the server’s field messages and a toast, and 409 "name taken" on the name', async () => {
    server.use(
      http.post('/api/profiles', () =>
        apiError(409, {
          code: 'conflict',
          message: 'A profile named agents already exists.',
          fields: { name: 'A profile named agents already exists.' },
        }),
      ),
    );
    const { user } = renderProfiles();
    await table();
    await user.click(screen.getByRole('button', { name: 'New profile' }));
    const dialog = within(screen.getByRole('dialog', { name: 'New profile' }));
    await user.type(dialog.getByLabelText('Name'), 'agents');
    await user.type(dialog.getByLabelText('Capacity'), '5');
    await user.type(dialog.getByLabelText('Channel limit'), '5');
    await user.click(dialog.getByRole('button', { name: 'Create profile' }));

    const name = await dialog.findByLabelText('Name');
    await waitFor(() => expect(name).toHaveAttribute('aria-invalid', 'true'));
    expect(name).toHaveAccessibleDescription(
      expect.stringContaining('A profile named agents already exists.'),
    );
    expect(name).toHaveFocus();
    expect(
      toasts().getByText('Could not create the profile: A profile named agents already exists.'),
    ).toBeVisible();

    // Editing the field clears the server's message.
    await user.type(name, '_2');
    expect(name).not.toHaveAttribute('aria-invalid');
  });

  it('shows a server message about the barge group beside the barge group', async () => {
    server.use(
      http.patch('/api/profiles/:id', () =>
        apiError(400, {
          code: 'validation_failed',
          message: 'Group floor_1 does not exist; create it first.',
          fields: { bargeGroup: 'Group floor_1 does not exist' },
        }),
      ),
    );
    const { user } = renderProfiles();
    await table();
    await user.click(screen.getByRole('button', { name: 'Edit agents' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Edit profile agents' }));
    await user.selectOptions(dialog.getByLabelText('Barge group'), 'floor_1');
    await user.click(dialog.getByRole('button', { name: 'Save changes' }));
    expect(await dialog.findByText('Group floor_1 does not exist.')).toBeInTheDocument();
    expect(dialog.getByLabelText('Barge group')).toHaveAttribute('aria-invalid', 'true');
  });

  it('edits capacity, sending only what changed; Escape closes and returns focus', async () => {
    const requests = recordRequests();
    const { user } = renderProfiles();
    await table();
    const edit = screen.getByRole('button', { name: 'Edit agents' });
    await user.click(edit);
    const dialog = within(screen.getByRole('dialog', { name: 'Edit profile agents' }));
    await user.clear(dialog.getByLabelText('Capacity'));
    await user.type(dialog.getByLabelText('Capacity'), '60');
    await user.click(dialog.getByLabelText('Tell its users when they are being monitored'));
    await user.click(dialog.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByText('1 of 60 signed in')).toBeInTheDocument();
    const patch = requests.find((request) => request.method === 'PATCH');
    expect(patch?.url.pathname).toBe('/api/profiles/1');
    expect(patch?.body).toEqual({ capacity: 60, monitorNotice: true });

    await user.click(screen.getByRole('button', { name: 'Edit agents' }));
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Edit agents' })).toHaveFocus();
  });

  it('renames in place; users stay on it; 409 shows on the field', async () => {
    const { user } = renderProfiles();
    await table();
    await user.click(screen.getByRole('button', { name: 'Rename profile agents' }));
    const field = screen.getByLabelText('New name for profile agents');
    expect(field).toHaveFocus();
    await user.clear(field);
    await user.type(field, 'Floor');
    expect(field).toHaveAccessibleDescription(expect.stringContaining('may contain only lower-case'));
    await user.clear(field);
    await user.type(field, 'floor_agents{Enter}');
    const renamed = await screen.findByRole('button', { name: 'Rename profile floor_agents' });
    await waitFor(() => expect(renamed).toHaveFocus());
    expect(rowOf('floor_agents').getByText('3')).toBeInTheDocument();

    server.use(
      http.patch('/api/profiles/:id', () =>
        apiError(409, {
          code: 'conflict',
          message: 'A profile named operators already exists.',
          fields: { name: 'A profile named operators already exists.' },
        }),
      ),
    );
    await user.click(renamed);
    await user.clear(screen.getByLabelText('New name for profile floor_agents'));
    await user.type(screen.getByLabelText('New name for profile floor_agents'), 'operators{Enter}');
    const again = screen.getByLabelText('New name for profile floor_agents');
    await waitFor(() =>
      expect(again).toHaveAccessibleDescription(
        expect.stringContaining('A profile named operators already exists.'),
      ),
    );
    expect(toasts().getByText(/Could not rename floor_agents/)).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.getByRole('button', { name: 'Rename profile floor_agents' })).toHaveFocus();
  });

  it('toggles a feature at once, and undoes it with a toast when the server refuses', async () => {
    server.use(
      http.patch('/api/profiles/:id', async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return apiError(403, {
          code: 'forbidden',
          message: 'A supervisor may not change the profile they are on; ask an admin.',
        });
      }),
    );
    const { user } = renderProfiles();
    await table();
    const autoAnswer = rowOf('agents').getByRole('button', { name: 'Auto answer' });
    await user.click(autoAnswer);
    expect(autoAnswer).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(autoAnswer).toHaveAttribute('aria-pressed', 'false'));
    expect(
      toasts().getByText(
        'Could not turn on Auto answer for agents: A supervisor may not change the profile they are on; ask an admin.',
      ),
    ).toBeInTheDocument();
  });

  it('states what deleting does, with the counts, and offers the export before Delete', async () => {
    const number = fakeDb.state.numbers.find((n) => n.number === '+493012345602');
    if (number) number.profile = { id: 1, name: 'agents' };
    const { user } = renderProfiles('admin');
    await table();
    await user.click(screen.getByRole('button', { name: 'Delete agents' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete profile agents?' });
    const inDialog = within(dialog);
    expect(
      await inDialog.findByText('Its 3 users lose their profile and cannot use the phone until given one.'),
    ).toBeInTheDocument();
    expect(
      inDialog.getByText('Its call history (2 call records) is deleted. Export it first if you need it.'),
    ).toBeInTheDocument();
    expect(
      inDialog.getByText("Its credit of EUR 25.00 goes back to the account's balance."),
    ).toBeInTheDocument();
    expect(
      inDialog.getByText(
        'Its number +493012345602 goes back to the pool, ringing nobody until allocated again.',
      ),
    ).toBeInTheDocument();
    expect(dialog).toHaveAccessibleDescription(expect.stringContaining('Its 3 users lose their profile'));

    const exportLink = inDialog.getByRole('link', { name: 'Export call history (CSV)' });
    expect(exportLink).toHaveAttribute('href', '/api/calls/export.csv?profileId=1');
    const deleteButton = inDialog.getByRole('button', { name: 'Delete' });
    expect(exportLink.compareDocumentPosition(deleteButton) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(inDialog.getByRole('button', { name: 'Cancel' })).toHaveFocus();

    await user.click(deleteButton);
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    await waitFor(() =>
      expect(screen.queryByRole('button', { name: 'Rename profile agents' })).not.toBeInTheDocument(),
    );
    expect(
      toasts().getByText(
        'Profile agents deleted: 3 users without a profile, 2 call records deleted, EUR 25.00 back to the account, 1 number back to the pool.',
      ),
    ).toBeInTheDocument();
  });

  it('tells a supervisor why their own profile cannot be changed, and offers no delete', async () => {
    renderProfiles('supervisor');
    await table();
    const own = rowOf('supervisors');
    expect(own.getByText('A supervisor may not change the profile they are on; ask an admin.')).toBeVisible();
    expect(own.getByText('Your profile')).toBeInTheDocument();
    expect(own.queryByRole('button')).not.toBeInTheDocument();
    expect(rowOf('agents').getByRole('button', { name: 'Edit agents' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Delete/ })).not.toBeInTheDocument();
  });

  it('says so when the list cannot be loaded', async () => {
    server.use(
      http.get('/api/profiles', () => apiError(500, { code: 'internal', message: 'Database down.' })),
    );
    renderProfiles();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The profiles could not be loaded: Database down.',
    );
  });

  it('says what to do when there are no profiles', async () => {
    fakeDb.state.profiles = [];
    renderProfiles();
    expect(
      await screen.findByText(/There are no profiles yet. Create one with “New profile”/),
    ).toBeInTheDocument();
  });

  it('is free of serious accessibility problems, with and without a dialog', async () => {
    const { container, user } = renderProfiles('admin');
    await table();
    expect(await seriousAxeViolations(container)).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'New profile' }));
    expect(await seriousAxeViolations(container)).toEqual([]);
  });
});
