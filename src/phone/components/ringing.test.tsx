import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakePhoneCommands } from '../../testing/fake-phone-commands';
import { renderWithProviders } from '../../testing/render';
import { createPhoneStore } from '../phone-store';
import { PhoneStoreProvider } from '../phone-store-context';
import { PhoneScreen } from './phone-screen';

// Ringing you can rely on, as the screen shows it: the ringer's own output beside microphone and
// speaker, and the sentence with one button while the browser keeps the page silent.

function renderPhone() {
  const store = createPhoneStore({ registration: { status: 'registered' } });
  const commands = fakePhoneCommands();
  store.getState().actions.phoneAttached(commands);
  const rendered = renderWithProviders(
    <PhoneStoreProvider store={store}>
      <PhoneScreen userId={1} extension="1001" profile={{ name: 'agents', flags: ['call'] }} />
    </PhoneStoreProvider>,
  );
  return { ...rendered, store, commands, actions: store.getState().actions };
}

const headsetAndLoudspeaker = {
  microphones: [{ id: 'mic-2', label: 'Headset mic' }],
  speakers: [
    { id: 'spk-headset', label: 'Headset' },
    { id: 'spk-desk', label: 'Desk loudspeaker' },
  ],
};

describe('ringer output', () => {
  it('rings on the speaker by default and on another device once chosen', async () => {
    const { user, actions, commands, store } = renderPhone();
    act(() => actions.devicesListed(headsetAndLoudspeaker, true));
    const ringer = screen.getByLabelText('Ringer');
    expect(ringer).toHaveValue('');
    expect(screen.getByRole('option', { name: 'Same as speaker' })).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Speaker'), 'spk-headset');
    await user.selectOptions(ringer, 'spk-desk');
    expect(commands.chooseSpeaker).toHaveBeenCalledWith('spk-headset');
    expect(commands.chooseRinger).toHaveBeenCalledWith('spk-desk');
    expect(store.getState().devices).toMatchObject({ speakerId: 'spk-headset', ringerId: 'spk-desk' });

    await user.selectOptions(ringer, '');
    expect(commands.chooseRinger).toHaveBeenLastCalledWith(null);
  });

  it('goes back to "same as speaker" when the chosen ringer is unplugged', async () => {
    const { user, actions, store } = renderPhone();
    act(() => actions.devicesListed(headsetAndLoudspeaker, true));
    await user.selectOptions(screen.getByLabelText('Ringer'), 'spk-desk');
    act(() =>
      actions.devicesListed(
        { ...headsetAndLoudspeaker, speakers: [{ id: 'spk-headset', label: 'Headset' }] },
        true,
      ),
    );
    expect(store.getState().devices.ringerId).toBeNull();
    expect(screen.getByLabelText('Ringer')).toHaveValue('');
  });

  it('offers no ringer choice where the browser cannot pick an output', () => {
    const { actions } = renderPhone();
    act(() => actions.devicesListed(headsetAndLoudspeaker, false));
    expect(screen.queryByLabelText('Ringer')).not.toBeInTheDocument();
  });
});

describe('sound blocked by the browser', () => {
  it('says so with one button that enables sound, and goes away once sound plays', async () => {
    const { user, actions, commands } = renderPhone();
    expect(screen.queryByRole('button', { name: 'Enable sound' })).not.toBeInTheDocument();

    act(() => actions.soundBlockedChanged(true));
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Your browser keeps this page silent until you click on it, so incoming calls would not ring.',
    );
    await user.click(screen.getByRole('button', { name: 'Enable sound' }));
    expect(commands.enableSound).toHaveBeenCalledTimes(1);

    act(() => actions.soundBlockedChanged(false));
    expect(screen.queryByRole('button', { name: 'Enable sound' })).not.toBeInTheDocument();
  });
});
