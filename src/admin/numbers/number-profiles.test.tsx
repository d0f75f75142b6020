import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { recordRequests, renderAs, toasts } from '../../testing/admin-screens';
import { fakeDb } from '../../testing/fake-db';
import { NumbersScreen } from './numbers-screen';

const rowOf = async (number: string) => {
  await screen.findByRole('table', { name: 'Phone numbers' });
  const cell = screen.getAllByRole('rowheader').find((header) => header.textContent === number);
  if (!cell) throw new Error(`No row for ${number}`);
  return within(cell.closest('tr') as HTMLElement);
};

describe('numbers per profile', () => {
  it('shows each number’s profile (or the pool) and allocates one to a profile', async () => {
    const requests = recordRequests();
    const { user } = renderAs('admin', () => <NumbersScreen />);
    const row = await rowOf('+493012345602');
    expect(row.getByText('Pool')).toBeInTheDocument();
    await user.click(row.getByRole('button', { name: 'Edit +493012345602' }));
    const dialog = within(await screen.findByRole('dialog'));
    const select = dialog.getByRole('combobox', { name: 'Profile' });
    await dialog.findByRole('option', { name: 'agents' });
    await user.selectOptions(select, 'agents');
    await user.click(dialog.getByRole('button', { name: 'Save changes' }));
    expect(await toasts().findByText('Number +493012345602 saved.')).toBeInTheDocument();
    expect(requests.find((r) => r.method === 'PATCH')?.body).toEqual({ profileId: 1 });
    // The list refreshes on the server's live event, a moment after the answer.
    await waitFor(async () => expect((await rowOf('+493012345602')).getByText('agents')).toBeInTheDocument());
    expect(fakeDb.state.numbers.find((n) => n.number === '+493012345602')?.profile).toEqual({
      id: 1,
      name: 'agents',
    });
  });
});
