import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fill, recordRequests, renderAs, rowOf, toasts } from '../../testing/admin-screens';
import { seriousAxeViolations } from '../../testing/axe';
import { demoQueues } from '../../testing/demo-contact-center';
import { fakeDb } from '../../testing/fake-db';
import { NumbersScreen } from './numbers-screen';

const renderNumbers = () => renderAs('admin', () => <NumbersScreen />);

const table = () => screen.findByRole('table', { name: 'Phone numbers' });

describe('numbers screen', () => {
  it('lists numbers with their label and whom they ring', async () => {
    renderNumbers();
    await table();
    expect(rowOf('+493012345601').getByText('Sales line')).toBeInTheDocument();
    expect(rowOf('+493012345601').getByText('Group floor_1: every signed-in member')).toBeInTheDocument();
    expect(
      rowOf('+493012345602').getByText('Unassigned — callers hear “not in service”'),
    ).toBeInTheDocument();
  });

  it('adds a number assigned to a user found by searching, after the server’s refusal on the number', async () => {
    const requests = recordRequests();
    const { user } = renderNumbers();
    await table();
    await user.click(screen.getByRole('button', { name: 'Add number' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Add number' }));
    const number = dialog.getByLabelText('Number');
    await fill(user, number, '030 1234567');
    expect(number).toHaveAccessibleDescription(
      expect.stringContaining(
        'Number must be a number in international format: + then 6 to 15 digits, like +493012345678.',
      ),
    );
    await fill(user, number, '+493012345601');
    await fill(user, dialog.getByLabelText('Label'), 'Support');

    await user.click(dialog.getByRole('radio', { name: /^A user/ }));
    await user.click(dialog.getByRole('button', { name: 'Add number' }));
    expect(dialog.getByText('Choose the user it rings.')).toBeInTheDocument();
    await user.type(dialog.getByLabelText('User it rings'), 'two');
    await user.click(await dialog.findByRole('button', { name: 'Choose Agent Two' }));
    expect(
      dialog.getByRole('button', { name: 'Choose another user instead of Agent Two' }),
    ).toBeInTheDocument();
    expect(dialog.queryByText('Choose the user it rings.')).not.toBeInTheDocument();

    await user.click(dialog.getByRole('button', { name: 'Add number' }));
    await waitFor(() =>
      expect(number).toHaveAccessibleDescription(
        expect.stringContaining('The number +493012345601 is already in the list (Sales line).'),
      ),
    );
    expect(
      toasts().getByText(
        'Could not add the number: The number +493012345601 is already in the list (Sales line).',
      ),
    ).toBeVisible();

    await fill(user, number, '+493012345699');
    await user.click(dialog.getByRole('button', { name: 'Add number' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    // The list refreshes through the number's live event.
    await waitFor(() => expect(rowOf('+493012345699').getByText('Agent Two (agent2)')).toBeInTheDocument());
    expect(requests.filter((request) => request.method === 'POST').at(-1)?.body).toEqual({
      number: '+493012345699',
      label: 'Support',
      // In the account's pool: the form does not allocate numbers to profiles.
      profileId: null,
      assignment: { kind: 'user', userId: 2 },
    });
  }, 15_000);

  it('moves a number from a group to nobody and back to a group, sending only the assignment', async () => {
    const requests = recordRequests();
    const { user } = renderNumbers();
    await table();
    await user.click(screen.getByRole('button', { name: 'Edit +493012345601' }));
    let dialog = within(screen.getByRole('dialog', { name: 'Edit number +493012345601' }));
    expect(dialog.queryByLabelText('Number')).not.toBeInTheDocument();
    expect(dialog.getByLabelText('Group it rings')).toHaveValue('1');
    await user.click(dialog.getByRole('radio', { name: /^Nobody yet/ }));
    await user.click(dialog.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requests.filter((request) => request.method === 'PATCH').at(-1)?.body).toEqual({
      assignment: null,
    });
    expect(
      await rowOf('+493012345601').findByText('Unassigned — callers hear “not in service”'),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Edit +493012345602' }));
    dialog = within(screen.getByRole('dialog', { name: 'Edit number +493012345602' }));
    await user.click(dialog.getByRole('radio', { name: /^A group/ }));
    await user.click(dialog.getByRole('button', { name: 'Save changes' }));
    expect(dialog.getByLabelText('Group it rings')).toHaveAccessibleDescription('Choose the group it rings.');
    await user.selectOptions(dialog.getByLabelText('Group it rings'), 'floor_1 (3 members)');
    await user.click(dialog.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requests.filter((request) => request.method === 'PATCH').at(-1)?.body).toEqual({
      assignment: { kind: 'group', groupId: 1 },
    });
    expect(fakeDb.state.numbers[1]?.assignment).toEqual({ kind: 'group', groupId: 1, name: 'floor_1' });
  }, 15_000);

  it('sends a number’s callers to a queue chosen from the list; a queue gone meanwhile is a field error', async () => {
    const requests = recordRequests();
    const { user } = renderNumbers();
    await table();
    await user.click(screen.getByRole('button', { name: 'Edit +493012345602' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Edit number +493012345602' }));
    await user.click(dialog.getByRole('radio', { name: /^A queue/ }));
    await user.click(dialog.getByRole('button', { name: 'Save changes' }));
    const picker = dialog.getByLabelText('Queue its callers wait in');
    expect(picker).toHaveAccessibleDescription('Choose the queue its callers wait in.');
    await user.selectOptions(picker, 'sales (extension 2001)');
    // The queue is deleted by someone else before the form is sent.
    fakeDb.state.queues = fakeDb.state.queues.filter((queue) => queue.name !== 'sales');
    await user.click(dialog.getByRole('button', { name: 'Save changes' }));
    await waitFor(() =>
      expect(dialog.getByLabelText('Queue its callers wait in')).toHaveAccessibleDescription(
        expect.stringContaining('Queue 1 does not exist'),
      ),
    );
    expect(requests.filter((request) => request.method === 'PATCH').at(-1)?.body).toEqual({
      assignment: { kind: 'queue', queueId: 1 },
    });
    fakeDb.state.queues = structuredClone(demoQueues);
    await user.click(dialog.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(fakeDb.state.numbers[1]?.assignment).toEqual({ kind: 'queue', queueId: 1, name: 'sales' });
    expect(
      await rowOf('+493012345602').findByText('Queue sales: callers wait for an agent'),
    ).toBeInTheDocument();
  }, 15_000);

  it('deletes a number after saying what happens', async () => {
    const { user } = renderNumbers();
    await table();
    await user.click(screen.getByRole('button', { name: 'Delete +493012345601' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete number +493012345601?' });
    expect(dialog).toHaveAccessibleDescription(
      expect.stringContaining('Calls to +493012345601 (Sales line) are refused from then on'),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    await waitFor(() =>
      expect(screen.queryByRole('rowheader', { name: '+493012345601' })).not.toBeInTheDocument(),
    );
  });

  it('is free of serious accessibility problems, with and without the form', async () => {
    const { container, user } = renderNumbers();
    await table();
    expect(await seriousAxeViolations(container)).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Add number' }));
    await user.click(screen.getByRole('radio', { name: /^A user/ }));
    expect(await seriousAxeViolations(container)).toEqual([]);
  });
});
