import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { recordRequests, renderAs, toasts } from '../../testing/admin-screens';
import { seriousAxeViolations } from '../../testing/axe';
import { fakeCredit } from '../../testing/fake-credit';
import { apiError } from '../../testing/handlers/api-errors';
import { server } from '../../testing/msw-server';
import { CreditScreen } from './credit-screen';

const profileRow = async (name: string) => {
  const table = await screen.findByRole('table', { name: 'Credit per profile' });
  const header = within(table)
    .getAllByRole('rowheader')
    .find((cell) => cell.textContent === name);
  if (!header) throw new Error(`No row for ${name}`);
  return within(header.closest('tr') as HTMLElement);
};

describe('credit screen', () => {
  it('shows the balance, each profile’s credit and the rates', async () => {
    const { container } = renderAs('admin', (me) => <CreditScreen me={me} />);
    expect(await screen.findByText('EUR 500.00')).toBeInTheDocument();
    expect(screen.getByText('EUR 30.50')).toBeInTheDocument();
    expect(screen.getByText('EUR 12.34')).toBeInTheDocument();
    expect((await profileRow('agents')).getByText('EUR 25.00')).toBeInTheDocument();
    expect((await profileRow('supervisors')).getByText('EUR 0.00')).toBeInTheDocument();
    const rates = await screen.findByRole('table', { name: 'Rates' });
    expect(within(rates).getByRole('rowheader', { name: '+4915' })).toBeInTheDocument();
    expect(within(rates).getByText('EUR 0.15')).toBeInTheDocument();
    expect(within(rates).getByText('1/1 s')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Export rates (CSV)' })).toHaveAttribute(
      'href',
      '/api/rates/export.csv',
    );
    expect(await seriousAxeViolations(container)).toEqual([]);
  });

  it('allocates and takes back credit; a refusal says why beside the field', async () => {
    const requests = recordRequests();
    const { user } = renderAs('admin', (me) => <CreditScreen me={me} />);
    const agents = await profileRow('agents');
    await user.type(agents.getByRole('textbox', { name: 'Amount for agents (EUR)' }), '4.50');
    await user.click(agents.getByRole('button', { name: 'Allocate to agents' }));
    expect(await toasts().findByText('agents now holds EUR 29.50.')).toBeInTheDocument();
    expect(requests.find((r) => r.method === 'POST')).toMatchObject({
      url: expect.objectContaining({ pathname: '/api/credit/profiles/1/allocate' }),
    });
    expect(fakeCredit.state.creditByProfile.get(1)).toBe(2_950);

    const again = await profileRow('agents');
    await user.type(again.getByRole('textbox', { name: 'Amount for agents (EUR)' }), '100');
    await user.click(again.getByRole('button', { name: 'Take back from agents' }));
    expect(await again.findByRole('alert')).toHaveTextContent(
      'agents holds EUR 29.50, less than the EUR 100.00 to take back.',
    );
  });

  it('a supervisor moves credit on other profiles only, and cannot pay in or import', async () => {
    renderAs('supervisor', (me) => <CreditScreen me={me} />);
    const own = await profileRow('supervisors');
    expect(
      own.getByText('A supervisor may not move credit to or from the profile they are on; ask an admin.'),
    ).toBeInTheDocument();
    expect(own.queryByRole('button')).not.toBeInTheDocument();
    expect(
      (await profileRow('agents')).getByRole('button', { name: 'Allocate to agents' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add to balance' })).not.toBeInTheDocument();
    expect(screen.queryByText('Import rates (CSV)…')).not.toBeInTheDocument();
  });

  it('imports a rate CSV, and lists each bad line when the server refuses it', async () => {
    let sent = '';
    server.use(
      http.put('/api/rates/import.csv', async ({ request }) => {
        sent = await request.text();
        return apiError(400, {
          code: 'validation_failed',
          message:
            'Nothing was imported: line 3: a prefix must be + followed by up to 15 digits, like +49 (+ alone: all).',
          fields: { 'line 3': 'a prefix must be + followed by up to 15 digits, like +49 (+ alone: all)' },
        });
      }),
    );
    const { user } = renderAs('admin', (me) => <CreditScreen me={me} />);
    await screen.findByRole('table', { name: 'Rates' });
    const csv =
      'prefix,description,price_per_minute,first_increment,next_increment\n+49,x,1,60,60\n49,y,1,60,60\n';
    await user.upload(
      screen.getByLabelText('Import rates (CSV)…'),
      new File([csv], 'rates.csv', { type: 'text/csv' }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Nothing was imported:');
    expect(alert).toHaveTextContent(
      'Line 3: a prefix must be + followed by up to 15 digits, like +49 (+ alone: all)',
    );
    expect(sent).toBe(csv);

    server.use(http.put('/api/rates/import.csv', () => HttpResponse.json({ imported: 2 })));
    await user.upload(
      screen.getByLabelText('Import rates (CSV)…'),
      new File([csv], 'rates.csv', { type: 'text/csv' }),
    );
    expect(await toasts().findByText('Imported 2 rates; the old table is replaced.')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText('Nothing was imported:')).not.toBeInTheDocument());
  });
});
