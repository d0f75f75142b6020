import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeSession } from '../testing/fake-session';
import { demoMe } from '../testing/demo-data';
import { renderWithProviders } from '../testing/render';
import { ConsolePanel } from './console-panel';

describe('console panel', () => {
  it('opens the section named in the address', () => {
    window.location.hash = '#/audit';
    renderWithProviders(<ConsolePanel me={demoMe('supervisor')} />);
    expect(screen.getByRole('heading', { name: 'Audit log' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Audit log' })).toHaveAttribute('aria-current', 'page');
  });

  it('falls back to the first section the role may see', () => {
    window.location.hash = '#/users';
    renderWithProviders(<ConsolePanel me={demoMe('operator')} />);
    expect(screen.getByRole('heading', { name: 'Operator panel' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Users' })).not.toBeInTheDocument();
  });

  it('is reachable and usable from the keyboard', async () => {
    const { user } = renderWithProviders(<ConsolePanel me={demoMe('supervisor')} />);
    const nav = screen.getByRole('navigation', { name: 'Console sections' });
    await user.tab();
    expect(within(nav).getByRole('link', { name: 'Operator panel' })).toHaveFocus();
    await user.tab();
    await user.tab();
    expect(within(nav).getByRole('link', { name: 'Profiles' })).toHaveFocus();
    await user.keyboard('{Enter}');

    const heading = await screen.findByRole('heading', { name: 'Profiles' });
    expect(heading).toHaveFocus();
    expect(window.location.hash).toBe('#/profiles');
    expect(within(nav).getByRole('link', { name: 'Profiles' })).toHaveAttribute('aria-current', 'page');
  });

  it('tells a supervisor what only admins may change', () => {
    window.location.hash = '#/profiles';
    renderWithProviders(<ConsolePanel me={demoMe('supervisor')} />);
    expect(screen.getByText(/Deleting profiles is for admins/)).toBeInTheDocument();
  });

  it('gives an agent their own call history, without user or profile filters', async () => {
    fakeSession.signIn('agent1');
    renderWithProviders(<ConsolePanel me={demoMe('agent1')} />);
    expect(await screen.findByRole('table', { name: 'Call history' })).toBeInTheDocument();
    expect(screen.queryByLabelText('User')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Profile')).not.toBeInTheDocument();
  });

  it('gives an operator the members of their barge group to change, and no group management', async () => {
    window.location.hash = '#/groups';
    fakeSession.signIn('operator');
    renderWithProviders(<ConsolePanel me={demoMe('operator')} />);
    expect(await screen.findByRole('button', { name: 'Remove Agent One from floor_1' })).toBeInTheDocument();
    expect(screen.queryByLabelText('New group')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Delete group/ })).not.toBeInTheDocument();
  });

  it('shows admins the user actions and supervisors none', async () => {
    window.location.hash = '#/users';
    fakeSession.signIn('supervisor');
    const { unmount } = renderWithProviders(<ConsolePanel me={demoMe('supervisor')} />);
    expect(await screen.findByRole('rowheader', { name: 'Administrator' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /add user|edit/i })).not.toBeInTheDocument();
    unmount();

    fakeSession.signIn('admin');
    renderWithProviders(<ConsolePanel me={demoMe('admin')} />);
    expect(await screen.findByRole('button', { name: 'Edit Administrator' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add user' })).toBeInTheDocument();
  });
});
