import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderAs } from '../../testing/admin-screens';
import { seriousAxeViolations } from '../../testing/axe';
import { fakeDevices } from '../../testing/fake-devices';
import { FAKE_DEVICE_PASSWORD } from '../../testing/handlers/devices';
import { MyDevicesPanel } from './my-devices-panel';

async function openPanel() {
  const rendered = renderAs('agent', () => <MyDevicesPanel />);
  const toggle = screen.getByRole('button', { name: 'My devices' });
  expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await rendered.user.click(toggle);
  expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const panel = within(screen.getByRole('region', { name: 'My devices' }));
  await panel.findByRole('list', { name: 'Devices' });
  return { ...rendered, panel };
}

describe('my devices on the phone', () => {
  it("lists the user's own devices; external numbers read only, and no way to add one", async () => {
    const { panel } = await openPanel();
    const desk = within(panel.getByRole('listitem', { name: 'Desk phone Desk phone, room 2.14' }));
    expect(desk.getByText('Registered')).toBeInTheDocument();
    expect(desk.getByRole('button', { name: 'Remove Desk phone, room 2.14' })).toBeInTheDocument();
    expect(desk.getByRole('button', { name: 'Rename desk phone Desk phone, room 2.14' })).toBeInTheDocument();

    const mobile = within(panel.getByRole('listitem', { name: 'External number Mobile' }));
    expect(mobile.getByText('+491701234567')).toBeInTheDocument();
    expect(mobile.getByText(/A supervisor manages external numbers/)).toBeInTheDocument();
    expect(mobile.queryByRole('button')).not.toBeInTheDocument();

    expect(panel.queryByRole('radio')).not.toBeInTheDocument();
    expect(panel.queryByLabelText('Number')).not.toBeInTheDocument();
    expect(panel.queryByRole('button', { name: 'Add external number' })).not.toBeInTheDocument();
    expect(panel.getByRole('button', { name: 'Add desk phone' })).toBeInTheDocument();
    expect(await seriousAxeViolations(document.body)).toEqual([]);
  });

  it('adds a desk phone of its own and shows the credentials once', async () => {
    const { user, panel } = await openPanel();
    await user.type(panel.getByLabelText('Name'), 'Home office');
    await user.click(panel.getByRole('button', { name: 'Add desk phone' }));
    const shown = within(await screen.findByRole('region', { name: 'Home office was added' }));
    expect(shown.getByText('Password').nextElementSibling).toHaveTextContent(FAKE_DEVICE_PASSWORD);
    expect(shown.getByText(/shown only now and never again/)).toBeInTheDocument();
    await user.click(shown.getByRole('button', { name: 'Done' }));

    const back = within(screen.getByRole('region', { name: 'My devices' }));
    expect(await back.findByRole('listitem', { name: 'Desk phone Home office' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'My devices' })).not.toHaveTextContent(FAKE_DEVICE_PASSWORD);
    expect(fakeDevices.state.devices.find((device) => device.name === 'Home office')).toMatchObject({
      userId: 1,
      kind: 'sip_phone',
    });
  });

  it('removes a desk phone after saying it is signed out at once', async () => {
    const { user, panel } = await openPanel();
    await user.click(panel.getByRole('button', { name: 'Remove Desk phone, room 2.14' }));
    const confirm = within(screen.getByRole('alertdialog', { name: 'Remove Desk phone, room 2.14?' }));
    expect(confirm.getByText(/it is signed out at once and stops ringing for you/)).toBeInTheDocument();
    await user.click(confirm.getByRole('button', { name: 'Remove' }));
    expect(await panel.findByText('Desk phone, room 2.14 was removed.')).toHaveFocus();
    expect(fakeDevices.state.devices.map((device) => device.kind)).toEqual(['external_number']);
  });
});
