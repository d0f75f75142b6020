import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakePhoneCommands } from '../testing/fake-phone-commands';
import { renderWithProviders } from '../testing/render';
import { dialTargetFromLink } from './click-to-call';
import { PhoneScreen } from './components/phone-screen';
import { createPhoneStore } from './phone-store';
import { PhoneStoreProvider } from './phone-store-context';

function renderPhone() {
  const store = createPhoneStore({ registration: { status: 'registered' } });
  const commands = fakePhoneCommands();
  store.getState().actions.phoneAttached(commands);
  const rendered = renderWithProviders(
    <PhoneStoreProvider store={store}>
      <PhoneScreen userId={1} extension="1001" profile={{ name: 'agents', flags: ['call'] }} />
    </PhoneStoreProvider>,
  );
  return { ...rendered, commands };
}

afterEach(() => {
  window.history.replaceState(null, '', '/');
  localStorage.clear();
  delete (navigator as { registerProtocolHandler?: unknown }).registerProtocolHandler;
});

describe('click to call', () => {
  it('reads tel: and sip: links and plain numbers', () => {
    expect(dialTargetFromLink('tel:+1-555-0100')).toBe('+15550100');
    expect(dialTargetFromLink('tel:1002;phone-context=example.com')).toBe('1002');
    expect(dialTargetFromLink('sip:Alice@example.com')).toBe('alice');
    expect(dialTargetFromLink('sips:1003@example.com;transport=tls')).toBe('1003');
    expect(dialTargetFromLink('1 002')).toBe('1002');
    expect(dialTargetFromLink('mailto:someone@example.com')).toBeNull();
  });

  it('opens with the number of a ?dial= link ready in the field, and calls it on Enter', async () => {
    window.history.replaceState(null, '', `/?dial=${encodeURIComponent('tel:+1-555-0100')}&tab=x`);
    const { user, commands } = renderPhone();
    const field = screen.getByLabelText('Number or username');
    expect(field).toHaveValue('+15550100');
    expect(field).toHaveFocus();
    // Taken out of the address, so a reload does not bring it back; the rest is kept.
    expect(window.location.search).toBe('?tab=x');
    await user.keyboard('{Enter}');
    expect(commands.dial).toHaveBeenCalledWith('+15550100');
  });

  it('offers itself for tel: and sip: links once, at the first click on the phone', async () => {
    const register = vi.fn();
    Object.defineProperty(navigator, 'registerProtocolHandler', { configurable: true, value: register });
    const { user } = renderPhone();
    expect(register).not.toHaveBeenCalled();
    await user.click(screen.getByRole('heading', { name: 'Phone' }));
    await user.click(screen.getByRole('heading', { name: 'Phone' }));
    const handler = `${window.location.origin}/?dial=%s`;
    expect(register.mock.calls).toEqual([
      ['tel', handler],
      ['sip', handler],
    ]);
  });
});
