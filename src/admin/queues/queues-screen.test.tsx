import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fill, recordRequests, renderAs, rowOf, toasts } from '../../testing/admin-screens';
import { seriousAxeViolations } from '../../testing/axe';
import { fakeDb } from '../../testing/fake-db';
import { QueuesScreen } from './queues-screen';

const renderQueues = () => renderAs('supervisor', () => <QueuesScreen />);
const table = () => screen.findByRole('table', { name: 'Queues' });

async function openNewQueue() {
  const rendered = renderQueues();
  await table();
  await rendered.user.click(screen.getByRole('button', { name: 'New queue' }));
  return { ...rendered, dialog: within(screen.getByRole('dialog', { name: 'New queue' })) };
}

describe('queues screen', () => {
  it('lists the queues with members, strategy, limits, overflow and dispositions', async () => {
    renderQueues();
    await table();
    const sales = rowOf('sales');
    expect(sales.getByText('2001')).toBeInTheDocument();
    expect(sales.getByText('agent1 (1), group floor_1 (2)')).toBeInTheDocument();
    expect(sales.getByText('Longest idle')).toBeInTheDocument();
    expect(sales.getByText('To queue support')).toBeInTheDocument();
    expect(sales.getByText('sale, callback, no_interest')).toBeInTheDocument();
    expect(rowOf('support').getByText('Refused: “Nobody can take your call now”')).toBeInTheDocument();
  });

  it('checks each field as you type, with the contract’s sentences', async () => {
    const { user, dialog } = await openNewQueue();
    await fill(user, dialog.getByLabelText('Name'), 'Sales Team');
    expect(dialog.getByLabelText('Name')).toHaveAccessibleDescription(
      expect.stringContaining('Name may contain only lower-case letters, digits and underscores.'),
    );
    await fill(user, dialog.getByLabelText('Ring time (seconds)'), '2');
    expect(dialog.getByLabelText('Ring time (seconds)')).toHaveAccessibleDescription(
      expect.stringContaining('Ring time must be between 5 and 300 seconds.'),
    );
    await fill(user, dialog.getByLabelText('Wrap-up (seconds)'), '1.5');
    expect(dialog.getByLabelText('Wrap-up (seconds)')).toHaveAccessibleDescription(
      expect.stringContaining('Wrap-up must be a whole number of seconds.'),
    );
    await fill(user, dialog.getByLabelText('Reason'), '');
    expect(dialog.getByLabelText('Reason')).toHaveAccessibleDescription(
      expect.stringContaining('Say why the call is refused.'),
    );
    await user.click(dialog.getByRole('button', { name: 'Create queue' }));
    expect(dialog.getByLabelText('Extension')).toHaveAccessibleDescription(
      expect.stringContaining('Extension must be 2 to 15 digits.'),
    );
    expect(dialog.getByLabelText('Name')).toHaveFocus();
  });

  it('shows the server’s refusals on their fields, then creates the queue with members and dispositions', async () => {
    const requests = recordRequests();
    const { user, dialog } = await openNewQueue();
    await fill(user, dialog.getByLabelText('Name'), 'sales');
    await fill(user, dialog.getByLabelText('Extension'), '1001');
    await user.type(dialog.getByLabelText('Add a user'), 'two');
    await user.click(await dialog.findByRole('button', { name: 'Add Agent Two' }));
    await user.selectOptions(dialog.getByLabelText('Add a group'), 'floor_1 (3)');
    await user.click(dialog.getByRole('button', { name: 'Add group' }));
    await fill(user, dialog.getByLabelText('Priority of Group floor_1'), '3');
    await user.type(dialog.getByLabelText('Dispositions'), 'renewal{Enter}');
    await user.type(dialog.getByLabelText('Dispositions'), 'cancelled');
    await user.click(dialog.getByRole('button', { name: 'Add disposition' }));
    await user.click(dialog.getByRole('radio', { name: 'Send it to another queue' }));
    await user.selectOptions(dialog.getByLabelText('Overflow queue'), 'support (2002)');

    await user.click(dialog.getByRole('button', { name: 'Create queue' }));
    await waitFor(() =>
      expect(dialog.getByLabelText('Name')).toHaveAccessibleDescription(
        expect.stringContaining('A queue named sales already exists.'),
      ),
    );
    expect(
      toasts().getByText('Could not create the queue: A queue named sales already exists.'),
    ).toBeVisible();

    await fill(user, dialog.getByLabelText('Name'), 'renewals');
    await user.click(dialog.getByRole('button', { name: 'Create queue' }));
    await waitFor(() =>
      expect(dialog.getByLabelText('Extension')).toHaveAccessibleDescription(
        expect.stringContaining('Extension 1001 belongs to the user agent1; choose another for the queue.'),
      ),
    );
    expect(dialog.getByLabelText('Extension')).toHaveFocus();

    await fill(user, dialog.getByLabelText('Extension'), '2003');
    await user.click(dialog.getByRole('button', { name: 'Create queue' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await waitFor(() =>
      expect(rowOf('renewals').getByText('agent2 (1), group floor_1 (3)')).toBeInTheDocument(),
    );
    expect(rowOf('renewals').getByText('renewal, cancelled')).toBeInTheDocument();
    expect(requests.filter((request) => request.method === 'POST').at(-1)?.body).toEqual({
      name: 'renewals',
      extension: '2003',
      members: [
        { kind: 'user', userId: 2, priority: 1 },
        { kind: 'group', groupId: 1, priority: 3 },
      ],
      strategy: 'longest_idle',
      ringSeconds: 20,
      maxWaitSeconds: 300,
      overflow: { kind: 'queue', queueId: 2 },
      wrapUpSeconds: 30,
      serviceLevelSeconds: 20,
      dispositions: ['renewal', 'cancelled'],
    });
  }, 20_000);

  it('puts a member’s priority problem on the members and sends only what changed on edit', async () => {
    const requests = recordRequests();
    const { user } = renderQueues();
    await table();
    await user.click(rowOf('sales').getByRole('button', { name: 'Edit sales' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Edit queue sales' }));
    const priority = dialog.getByLabelText('Priority of Group floor_1');
    await fill(user, priority, '11');
    await user.click(dialog.getByRole('button', { name: 'Save changes' }));
    expect(priority).toHaveAccessibleDescription('Priority must be between 1 and 10.');
    expect(priority).toHaveFocus();

    await fill(user, priority, '1');
    await user.click(dialog.getByRole('button', { name: 'Remove disposition no_interest' }));
    await user.click(dialog.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requests.filter((request) => request.method === 'PATCH').at(-1)?.body).toEqual({
      members: [
        { kind: 'user', userId: 1, priority: 1 },
        { kind: 'group', groupId: 1, priority: 1 },
      ],
      dispositions: ['sale', 'callback'],
    });
    expect(toasts().getByText('Queue sales saved.')).toBeInTheDocument();
  });

  it('overflows to a user chosen by name', async () => {
    const { user } = renderQueues();
    await table();
    await user.click(rowOf('support').getByRole('button', { name: 'Edit support' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Edit queue support' }));
    await user.click(dialog.getByRole('radio', { name: 'Ring a user' }));
    await user.click(dialog.getByRole('button', { name: 'Save changes' }));
    expect(dialog.getByText('Choose the user calls go to after the maximum wait.')).toBeVisible();
    await user.type(dialog.getByLabelText('Overflow user'), 'sam');
    await user.click(await dialog.findByRole('button', { name: 'Choose Sam Supervisor' }));
    expect(dialog.getByText('Sam Supervisor (supervisor)')).toBeVisible();
    await user.click(dialog.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(fakeDb.state.queues[1]?.overflow).toEqual({ kind: 'user', userId: 5 });
    expect(await rowOf('support').findByText('To Sam Supervisor')).toBeInTheDocument();
  });

  it('deletes a queue after asking, and says why when calls still overflow to it', async () => {
    const { user } = renderQueues();
    await table();
    await user.click(rowOf('support').getByRole('button', { name: 'Delete support' }));
    let dialog = screen.getByRole('alertdialog', { name: 'Delete queue support?' });
    expect(dialog).toHaveAccessibleDescription(
      expect.stringContaining('Calls to 2002 no longer wait in a queue'),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(
      await toasts().findByText(
        'Could not delete support: Calls overflow from sales to support; send them elsewhere before deleting it.',
      ),
    ).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));

    await user.click(rowOf('sales').getByRole('button', { name: 'Delete sales' }));
    dialog = screen.getByRole('alertdialog', { name: 'Delete queue sales?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    await waitFor(() => expect(screen.queryByRole('rowheader', { name: 'sales' })).not.toBeInTheDocument());
    expect(toasts().getByText('Queue sales deleted.')).toBeInTheDocument();
  });

  it('adds and removes reasons for Not ready, refusing a code twice', async () => {
    const { user } = renderQueues();
    const reasons = await screen.findByRole('list', { name: 'Reasons for Not ready' });
    expect(
      within(reasons)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['Break (break)Remove', 'Lunch (lunch)Remove', 'Training (training)Remove']);
    await user.type(screen.getByLabelText('Code'), 'lunch');
    await user.type(screen.getByLabelText('Label'), 'Long lunch');
    await user.click(screen.getByRole('button', { name: 'Add reason' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Code')).toHaveAccessibleDescription(
        expect.stringContaining('The reason code lunch already exists.'),
      ),
    );
    await fill(user, screen.getByLabelText('Code'), 'coaching');
    await fill(user, screen.getByLabelText('Label'), 'Coaching');
    await user.click(screen.getByRole('button', { name: 'Add reason' }));
    expect(await within(reasons).findByText('Coaching')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Remove reason Break' }));
    await user.click(
      within(screen.getByRole('alertdialog', { name: 'Remove reason Break?' })).getByRole('button', {
        name: 'Remove',
      }),
    );
    await waitFor(() => expect(within(reasons).queryByText('Break')).not.toBeInTheDocument());
    expect(fakeDb.state.reasonCodes.map((code) => code.code)).toEqual(['lunch', 'training', 'coaching']);
  });

  it('is free of serious accessibility problems, with and without the form', async () => {
    const { container, user } = renderQueues();
    await table();
    expect(await seriousAxeViolations(container)).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'New queue' }));
    expect(await seriousAxeViolations(container)).toEqual([]);
  });
});
