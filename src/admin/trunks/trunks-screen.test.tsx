import { screen, waitFor, within } from '@testing-library/react';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { fill, recordRequests, renderAs, rowOf, toasts } from '../../testing/admin-screens';
import { seriousAxeViolations } from '../../testing/axe';
import { fakeDb } from '../../testing/fake-db';
import { apiError } from '../../testing/handlers/api-errors';
import { server } from '../../testing/msw-server';
import { TrunksScreen } from './trunks-screen';

const renderTrunks = () => renderAs('admin', () => <TrunksScreen />);

const table = () => screen.findByRole('table', { name: 'SIP trunks' });

async function openNewTrunk() {
  const rendered = renderTrunks();
  await table();
  await rendered.user.click(screen.getByRole('button', { name: 'New trunk' }));
  return { ...rendered, dialog: within(screen.getByRole('dialog', { name: 'New trunk' })) };
}

describe('trunks screen', () => {
  it('lists trunks with their settings and live status, refreshed by trunk events', async () => {
    const { source } = renderAs('admin', () => <TrunksScreen />);
    await table();
    const carrier = rowOf('carrier_de');
    expect(carrier.getByText('sip.carrier.example:5060/udp')).toBeInTheDocument();
    expect(carrier.getByText('Registers as switchboard')).toBeInTheDocument();
    expect(carrier.getByText('+493012345600')).toBeInTheDocument();
    expect(carrier.getByText('Up, 23 ms round trip')).toBeInTheDocument();
    expect(carrier.getByText(/^Registered until /)).toBeInTheDocument();
    const pbx = rowOf('backup_pbx');
    expect(pbx.getByText('203.0.113.10:5060/tcp')).toBeInTheDocument();
    expect(pbx.getByText('By address: 203.0.113.10, 203.0.113.11')).toBeInTheDocument();
    expect(pbx.getByText('Down: No answer to OPTIONS within 5 s')).toBeInTheDocument();
    expect(screen.queryByRole('status', { name: 'Media for trunk calls' })).not.toBeInTheDocument();

    const backup = fakeDb.state.trunks[1];
    if (!backup) throw new Error('No backup_pbx in the demo data.');
    backup.status = { ...backup.status, state: 'up', roundTripMs: 41, lastError: null };
    source.emit('change', { entity: 'trunk', id: backup.id });
    expect(await rowOf('backup_pbx').findByText('Up, 41 ms round trip')).toBeInTheDocument();
  });

  it('says at the top what to install when trunk calls cannot have media', async () => {
    fakeDb.state.trunkMedia = {
      ready: false,
      problem: "Trunk calls need rtpengine: install Debian's rtpengine-daemon, or set RTPENGINE=host:port",
    };
    renderTrunks();
    const notice = await screen.findByRole('status', { name: 'Media for trunk calls' });
    expect(notice).toHaveTextContent(
      "Trunk calls cannot have audio yet. Trunk calls need rtpengine: install Debian's rtpengine-daemon, or set RTPENGINE=host:port.",
    );
    expect(notice.compareDocumentPosition(await table()) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('validates a new trunk field by field as you type, with an example of the number format', async () => {
    const { user, dialog } = await openNewTrunk();
    const port = dialog.getByLabelText('Port');
    await fill(user, port, '70000');
    expect(port).toHaveAccessibleDescription('Port must be between 1 and 65535.');

    await user.click(dialog.getByRole('radio', { name: /^IP address/ }));
    expect(dialog.queryByLabelText('Password')).not.toBeInTheDocument();
    await fill(user, dialog.getByLabelText('Carrier addresses'), '198.51.100.7, 198.51.100.300');
    expect(dialog.getByLabelText('Carrier addresses')).toHaveAccessibleDescription(
      expect.stringContaining('Each address must be an IPv4 or IPv6 address, like 203.0.113.10.'),
    );
    await fill(user, dialog.getByLabelText('Caller ID'), '030 1234');
    expect(dialog.getByLabelText('Caller ID')).toHaveAccessibleDescription(
      expect.stringContaining('Caller ID must be a number in international format'),
    );
    await fill(user, dialog.getByLabelText('Prefixes'), '+49, +43 49');
    expect(dialog.getByLabelText('Prefixes')).toHaveAccessibleDescription(
      expect.stringContaining('A prefix must be + followed by up to 15 digits'),
    );

    expect(dialog.getByText(/\+493012345678 is sent as \+493012345678, unchanged/)).toBeInTheDocument();
    await user.click(dialog.getByRole('radio', { name: /^National/ }));
    expect(dialog.getByText(/\+493012345678 is sent as 03012345678/)).toBeInTheDocument();
    await fill(user, dialog.getByLabelText('National prefix'), '00');
    expect(dialog.getByText(/\+493012345678 is sent as 003012345678/)).toBeInTheDocument();
    await fill(user, dialog.getByLabelText('Prefix to strip'), '49');
    expect(dialog.getByLabelText('Prefix to strip')).toHaveAccessibleDescription(
      expect.stringContaining('A prefix must be + followed by up to 15 digits'),
    );
    expect(dialog.getByText('Give the prefix to strip, like +49, to see an example.')).toBeInTheDocument();
  }, 15_000);

  it('shows the server’s refusal on its field, then creates the trunk', async () => {
    const requests = recordRequests();
    const { user, dialog } = await openNewTrunk();
    await fill(user, dialog.getByLabelText('Name'), 'carrier_de');
    await fill(user, dialog.getByLabelText('Host'), 'sip.other.example');
    await fill(user, dialog.getByLabelText('Port'), '5080');
    await user.click(dialog.getByRole('radio', { name: /^IP address/ }));
    await fill(user, dialog.getByLabelText('Carrier addresses'), '198.51.100.7 198.51.100.8');
    await fill(user, dialog.getByLabelText('Caller ID'), '+493099990000');
    await user.click(dialog.getByRole('radio', { name: /^National/ }));
    await fill(user, dialog.getByLabelText('Prefixes'), '+49, +43');

    await user.click(dialog.getByRole('button', { name: 'Create trunk' }));
    await waitFor(() =>
      expect(dialog.getByLabelText('Name')).toHaveAccessibleDescription(
        expect.stringContaining('A trunk named carrier_de already exists.'),
      ),
    );
    expect(dialog.getByLabelText('Name')).toHaveFocus();
    expect(
      toasts().getByText('Could not create the trunk: A trunk named carrier_de already exists.'),
    ).toBeVisible();

    await fill(user, dialog.getByLabelText('Name'), 'carrier_at');
    await user.click(dialog.getByRole('button', { name: 'Create trunk' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    // The list refreshes through the trunk's live event.
    await waitFor(() =>
      expect(rowOf('carrier_at').getByText('sip.other.example:5080/udp')).toBeInTheDocument(),
    );
    const created = rowOf('carrier_at');
    expect(created.getByText('+49, +43')).toBeInTheDocument();
    expect(created.getByText('Not checked yet')).toBeInTheDocument();
    expect(requests.filter((request) => request.method === 'POST').at(-1)?.body).toEqual({
      name: 'carrier_at',
      host: 'sip.other.example',
      port: 5080,
      transport: 'udp',
      auth: { kind: 'ip', addresses: ['198.51.100.7', '198.51.100.8'] },
      callerId: '+493099990000',
      numberFormat: { kind: 'national', stripPrefix: '+49', nationalPrefix: '0' },
      prefixes: ['+49', '+43'],
      priority: 100,
      enabled: true,
    });
  }, 15_000);

  it('puts the server’s message about a nested field beside that field', async () => {
    server.use(
      http.post('/api/trunks', () =>
        apiError(400, {
          code: 'validation_failed',
          message: 'Please correct the request: the password is too weak for this carrier.',
          fields: { 'auth.password': 'the password is too weak for this carrier' },
        }),
      ),
    );
    const { user, dialog } = await openNewTrunk();
    await fill(user, dialog.getByLabelText('Name'), 'carrier_fr');
    await fill(user, dialog.getByLabelText('Host'), 'sip.carrier.example');
    await fill(user, dialog.getByLabelText('Username'), 'switchboard');
    await fill(user, dialog.getByLabelText('Password'), 'x');
    await fill(user, dialog.getByLabelText('Caller ID'), '+33100000000');
    await user.click(dialog.getByRole('button', { name: 'Create trunk' }));
    await waitFor(() =>
      expect(dialog.getByLabelText('Password')).toHaveAccessibleDescription(
        expect.stringContaining('The password is too weak for this carrier.'),
      ),
    );
    expect(dialog.getByLabelText('Password')).toHaveFocus();
  });

  it('never shows the stored password on edit, keeps it when left empty, and sends a new one', async () => {
    const requests = recordRequests();
    const { user } = renderTrunks();
    await table();
    await user.click(rowOf('carrier_de').getByRole('button', { name: 'Edit carrier_de' }));
    let dialog = within(screen.getByRole('dialog', { name: 'Edit trunk carrier_de' }));
    const password = dialog.getByLabelText('Password');
    expect(password).toHaveValue('');
    expect(password).toHaveAttribute('type', 'password');
    expect(password).toHaveAccessibleDescription('Leave empty to keep the stored password.');
    expect(dialog.getByText(/\+493012345678 is sent as 03012345678/)).toBeInTheDocument();

    await fill(user, dialog.getByLabelText('Priority'), '5');
    await user.click(dialog.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requests.filter((request) => request.method === 'PATCH').at(-1)?.body).toEqual({ priority: 5 });
    expect(fakeDb.state.trunks[0]?.auth).toEqual({
      kind: 'register',
      username: 'switchboard',
      hasPassword: true,
    });

    await user.click(rowOf('carrier_de').getByRole('button', { name: 'Edit carrier_de' }));
    dialog = within(screen.getByRole('dialog', { name: 'Edit trunk carrier_de' }));
    expect(dialog.getByLabelText('Password')).toHaveValue('');
    await fill(user, dialog.getByLabelText('Password'), 'n3w-secret');
    await user.click(dialog.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requests.filter((request) => request.method === 'PATCH').at(-1)?.body).toEqual({
      auth: { kind: 'register', username: 'switchboard', password: 'n3w-secret' },
    });
    expect(screen.queryByText('n3w-secret')).not.toBeInTheDocument();
  });

  it('asks for a password when a trunk by address switches to registration', async () => {
    const { user } = renderTrunks();
    await table();
    await user.click(rowOf('backup_pbx').getByRole('button', { name: 'Edit backup_pbx' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Edit trunk backup_pbx' }));
    await user.click(dialog.getByRole('radio', { name: /^Registration/ }));
    await fill(user, dialog.getByLabelText('Username'), 'pbx');
    await user.click(dialog.getByRole('button', { name: 'Save changes' }));
    expect(dialog.getByLabelText('Password')).toHaveAccessibleDescription(
      expect.stringContaining('A registering trunk needs a password.'),
    );
  });

  it('deletes a trunk after saying what happens', async () => {
    const { user } = renderTrunks();
    await table();
    await user.click(rowOf('backup_pbx').getByRole('button', { name: 'Delete backup_pbx' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete trunk backup_pbx?' });
    expect(dialog).toHaveAccessibleDescription(
      expect.stringContaining('Calls to + no longer go through 203.0.113.10'),
    );
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    await waitFor(() =>
      expect(screen.queryByRole('rowheader', { name: 'backup_pbx' })).not.toBeInTheDocument(),
    );
    expect(toasts().getByText('Trunk backup_pbx deleted.')).toBeInTheDocument();
  });

  it('is free of serious accessibility problems, with and without the form', async () => {
    fakeDb.state.trunkMedia = { ready: false, problem: 'The media bridge (rtpengine) is starting.' };
    const { container, user } = renderTrunks();
    await table();
    expect(await seriousAxeViolations(container)).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'New trunk' }));
    expect(await seriousAxeViolations(container)).toEqual([]);
  });
});
