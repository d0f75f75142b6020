import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { readDtmfMode } from '../dtmf-preference';
import { KeypadToneSetting } from './keypad-tone-setting';

afterEach(() => localStorage.clear());

describe('keypad tones setting', () => {
  it('sends tones in the audio until SIP INFO is chosen, and keeps the choice for this browser', async () => {
    const user = userEvent.setup();
    const { unmount } = render(<KeypadToneSetting />);
    const field = screen.getByRole('combobox', { name: 'Keypad tones' });
    expect(field).toHaveValue('rfc4733');
    expect(field).toHaveAccessibleDescription('Choose SIP INFO only if the system you call asks for it.');
    expect(readDtmfMode()).toBe('rfc4733');

    await user.selectOptions(field, 'As SIP INFO messages');
    expect(readDtmfMode()).toBe('info');
    unmount();

    render(<KeypadToneSetting />);
    expect(screen.getByRole('combobox', { name: 'Keypad tones' })).toHaveValue('info');
  });
});
