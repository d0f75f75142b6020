import { act, screen, waitFor, within } from '@testing-library/react';
import { http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { User } from '../../../contracts/users';
import { renderAs, toasts } from '../../testing/admin-screens';
import { seriousAxeViolations } from '../../testing/axe';
import { fakeDb } from '../../testing/fake-db';
import { DEMO_DEVICE_OWNER_ID, fakeDevices } from '../../testing/fake-devices';
import { apiError } from '../../testing/handlers/api-errors';
import { FAKE_DEVICE_PASSWORD, FAKE_SIP_DOMAIN, FAKE_SIP_SERVER } from '../../testing/handlers/devices';
import { server } from '../../testing/msw-server';
import { ConsolePanel } from '../console-panel';
import { UserDevicesDialog } from './user-devices-dialog';

function agent1(): User {
  const user = fakeDb.state.users.find((candidate) => candidate.id === DEMO_DEVICE_OWNER_ID);
  if (!user) throw new Error('No agent1 in the demo data.');
  return user;
}

const DIALOG = 'Devices of Agent One (agent1)';

async function openDialog(role: 'supervisor' | 'admin' = 'admin') {
  const onClose = vi.fn();
  const rendered = renderAs(role, () => <UserDevicesDialog user={agent1()} onClose={onClose} />);
  const dialog = within(screen.getByRole('dialog', { name: DIALOG }));
  await dialog.findByRole('list', { name: 'Devices' });
  return { ...rendered, dialog, onClose };
}

const item = (dialog: ReturnType<typeof within>, name: string) =>
  within(dialog.getByRole('listitem', { name }));

describe("a user's devices in the console", () => {
  it('opens from the Users section per row, and lists devices, registrations and browser tabs', async () => {
    window.location.hash = '#/users';
    const { user } = renderAs('supervisor', (me) => <ConsolePanel me={me} />);
    await user.click(await screen.findByRole('button', { name: 'Devices of Agent One' }));
    const dialog = within(screen.getByRole('dialog', { name: DIALOG }));
    const desk = within(await dialog.findByRole('listitem', { name: 'Desk phone Desk phone, room 2.14' }));
    expect(desk.getByText('SIP username agent1-x7k2qp')).toBeInTheDocument();
    expect(desk.getByText('Registered')).toBeInTheDocument();
    expect(desk.getByRole('list', { name: 'Where Desk phone, room 2.14 is registered' })).toHaveTextContent(
      /^UDP from 192\.0\.2\.17:5060 \(Yealink SIP-T54W\), since .+, until .+$/,
    );
    const mobile = item(dialog, 'External number Mobile');
    expect(mobile.getByText('+491701234567')).toBeInTheDocument();
    const browser = within(dialog.getByRole('region', { name: 'Browser phone' }));
    expect(browser.getByText('Signed in')).toBeInTheDocument();
    expect(browser.getByRole('list')).toHaveTextContent('secure WebSocket from 198.51.100.4:52110');

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Devices of Agent One' })).toHaveFocus();
  });

  it('follows device and registration events live', async () => {
    const { source } = renderAs('admin', () => <UserDevicesDialog user={agent1()} onClose={() => {}} />);
    const dialog = within(screen.getByRole('dialog', { name: DIALOG }));
    const desk = within(await dialog.findByRole('listitem', { name: 'Desk phone Desk phone, room 2.14' }));
    expect(desk.getByText('Registered')).toBeInTheDocument();

    const phone = fakeDevices.state.devices[0];
    if (!phone) throw new Error('No demo desk phone.');
    phone.registrations = [];
    act(() => source.emit('change', { entity: 'registration', id: 'agent1-x7k2qp' }));
    expect(await desk.findByText('Not registered')).toBeInTheDocument();

    fakeDevices.state.devices.push({
      ...phone,
      id: 50,
      name: 'Reception phone',
      sipUsername: 'agent1-r3c3pt',
    });
    act(() => source.emit('change', { entity: 'device', id: DEMO_DEVICE_OWNER_ID }));
    expect(await dialog.findByRole('listitem', { name: 'Desk phone Reception phone' })).toBeInTheDocument();
  });

  it('adds a desk phone and shows its credentials once, with a copy button each', async () => {
    const { user, dialog } = await openDialog();
    expect(dialog.getByRole('radio', { name: 'Desk phone (SIP)' })).toBeChecked();
    await user.type(dialog.getByLabelText('Name'), 'Reception');
    await user.click(dialog.getByRole('button', { name: 'Add desk phone' }));

    const shown = within(await screen.findByRole('dialog', { name: 'Reception was added' }));
    const created = fakeDevices.state.devices.find((device) => device.name === 'Reception');
    if (!created?.sipUsername) throw new Error('The desk phone was not added.');
    for (const [label, value] of [
      ['Username', created.sipUsername],
      ['Password', FAKE_DEVICE_PASSWORD],
      ['Domain', FAKE_SIP_DOMAIN],
      ['Server', FAKE_SIP_SERVER.host],
      ['UDP port', String(FAKE_SIP_SERVER.udpPort)],
      ['TCP port', String(FAKE_SIP_SERVER.tcpPort)],
    ] as const) {
      expect(shown.getByText(label).nextElementSibling).toHaveTextContent(value);
    }
    expect(shown.getByText(/shown only now and never again/)).toBeInTheDocument();
    // The first copy button has focus, so the keyboard starts where the work is.
    expect(shown.getByRole('button', { name: 'Copy username' })).toHaveFocus();
    await user.click(shown.getByRole('button', { name: 'Copy password' }));
    expect(await navigator.clipboard.readText()).toBe(FAKE_DEVICE_PASSWORD);
    expect(shown.getByRole('status')).toHaveTextContent('Password copied to the clipboard.');

    await user.click(shown.getByRole('button', { name: 'Done' }));
    const back = within(screen.getByRole('dialog', { name: DIALOG }));
    expect(await back.findByRole('listitem', { name: 'Desk phone Reception' })).toBeInTheDocument();
    expect(screen.getByRole('dialog')).not.toHaveTextContent(FAKE_DEVICE_PASSWORD);
    expect(back.getByText('Desk phone Reception was added.')).toHaveFocus();
    expect(back.getByLabelText('Name')).toHaveValue('');
  });

  it('adds an external number, with field errors as you type and from the server', async () => {
    const { user, dialog } = await openDialog('supervisor');
    await user.click(dialog.getByRole('radio', { name: 'External number' }));
    await user.type(dialog.getByLabelText('Name'), 'Second mobile');
    await user.type(dialog.getByLabelText('Number'), '0170 123');
    expect(
      dialog.getByText(
        'Number must be a number in international format: + then 6 to 15 digits, like +493012345678.',
      ),
    ).toBeVisible();

    // The number is already one of agent1's devices: the server's 409 lands on the field.
    await user.clear(dialog.getByLabelText('Number'));
    await user.type(dialog.getByLabelText('Number'), '+491701234567');
    await user.click(dialog.getByRole('button', { name: 'Add external number' }));
    expect(await dialog.findByText('+491701234567 is already a device of agent1 (Mobile).')).toBeVisible();
    expect(dialog.getByLabelText('Number')).toHaveFocus();
    expect(dialog.getByLabelText('Number')).toHaveAttribute('aria-invalid', 'true');

    // A 400 whose message is about the number shows beside the field, not only in a toast.
    server.use(
      http.post('/api/users/:id/devices', () =>
        apiError(400, {
          code: 'validation_failed',
          message: 'Please correct the request: number is not a mobile network this trunk reaches.',
          fields: { number: 'number is not a mobile network this trunk reaches' },
        }),
      ),
    );
    await user.clear(dialog.getByLabelText('Number'));
    await user.type(dialog.getByLabelText('Number'), '+447700900123');
    await user.click(dialog.getByRole('button', { name: 'Add external number' }));
    expect(await dialog.findByText('Number is not a mobile network this trunk reaches.')).toBeVisible();
    expect(toasts().getByText(/Could not add the device: Please correct the request/)).toBeInTheDocument();

    server.resetHandlers();
    await user.clear(dialog.getByLabelText('Number'));
    await user.type(dialog.getByLabelText('Number'), '+447700900123');
    await user.click(dialog.getByRole('button', { name: 'Add external number' }));
    expect(await dialog.findByText('External number Second mobile was added.')).toBeInTheDocument();
    // The list refreshes on the server's live event, a moment after the answer.
    await waitFor(() =>
      expect(item(dialog, 'External number Second mobile').getByText('+447700900123')).toBeInTheDocument(),
    );
    // Numbers have no credentials: nothing is shown once.
    expect(screen.getByRole('dialog', { name: DIALOG })).toBeInTheDocument();
  });

  it('says in a sentence why a device was not added when the refusal is not about a field', async () => {
    server.use(
      http.post('/api/users/:id/devices', () =>
        apiError(409, { code: 'conflict', message: 'agent1 has 10 devices already; remove one first.' }),
      ),
    );
    const { user, dialog } = await openDialog();
    await user.type(dialog.getByLabelText('Name'), 'Eleventh');
    await user.click(dialog.getByRole('button', { name: 'Add desk phone' }));
    expect(await dialog.findByRole('alert')).toHaveTextContent(
      'The device was not added: agent1 has 10 devices already; remove one first.',
    );
  });

  it('renames a device in place', async () => {
    const { user, dialog } = await openDialog();
    await user.click(dialog.getByRole('button', { name: 'Rename external number Mobile' }));
    const field = dialog.getByLabelText('New name for external number Mobile');
    await user.clear(field);
    await user.type(field, 'Work mobile{Enter}');
    expect(await dialog.findByRole('listitem', { name: 'External number Work mobile' })).toBeInTheDocument();
    expect(dialog.getByText('Mobile is now called Work mobile.')).toBeInTheDocument();
    expect(fakeDevices.state.devices.find((device) => device.id === 2)?.name).toBe('Work mobile');
  });

  it('asks before removing, saying a desk phone is signed out at once', async () => {
    const { user, dialog } = await openDialog();
    await user.click(dialog.getByRole('button', { name: 'Remove Desk phone, room 2.14' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Remove Desk phone, room 2.14?' });
    expect(confirm).toHaveAccessibleDescription(
      /can no longer sign in with its username agent1-x7k2qp; if it is registered now, it is signed out at once/,
    );
    expect(within(confirm).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.getByRole('dialog', { name: DIALOG })).toBeInTheDocument();
    expect(fakeDevices.state.devices).toHaveLength(2);

    await user.click(dialog.getByRole('button', { name: 'Remove Desk phone, room 2.14' }));
    await user.click(
      within(screen.getByRole('alertdialog', { name: 'Remove Desk phone, room 2.14?' })).getByRole('button', {
        name: 'Remove',
      }),
    );
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    await waitFor(() =>
      expect(dialog.queryByRole('listitem', { name: /Desk phone, room 2\.14/ })).not.toBeInTheDocument(),
    );
    expect(dialog.getByText('Desk phone, room 2.14 was removed.')).toHaveFocus();
    expect(fakeDevices.state.devices.map((device) => device.name)).toEqual(['Mobile']);
  });

  it('has no serious accessibility problems', async () => {
    await openDialog();
    expect(await seriousAxeViolations(document.body)).toEqual([]);
  });
});
