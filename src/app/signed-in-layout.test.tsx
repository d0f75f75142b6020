import { screen, waitFor, within } from '@testing-library/react';
import { useQuery } from '@tanstack/react-query';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../contracts/roles';
import { apiClient } from '../lib/api-client';
import { demoUsernameFor } from '../testing/demo-data';
import { FakeEventSource } from '../testing/fake-event-source';
import { fakeSession } from '../testing/fake-session';
import { server } from '../testing/msw-server';
import { renderWithProviders } from '../testing/render';
import { App } from './app';

async function showShellAs(role: Role) {
  fakeSession.signIn(demoUsernameFor[role]);
  const rendered = renderWithProviders(<App />);
  // The console is a lazy chunk: its first import in a busy test run can take over a second.
  await screen.findByRole('navigation', { name: 'Console sections' }, { timeout: 5_000 });
  return rendered;
}

function sectionLinks(): string[] {
  const nav = screen.getByRole('navigation', { name: 'Console sections' });
  return within(nav)
    .getAllByRole('link')
    .map((link) => link.textContent ?? '');
}

describe('signed-in layout', () => {
  it('shows who is signed in, their role and profile, from GET /api/session', async () => {
    await showShellAs('operator');
    const banner = screen.getByRole('banner');
    expect(banner).toHaveTextContent('Olivia Operator');
    expect(banner).toHaveTextContent('Operator');
    expect(banner).toHaveTextContent('Profile operators');
  });

  it('shows the phone with the user’s extension and its status', async () => {
    await showShellAs('agent');
    const phone = screen.getByRole('main', { name: 'Phone' });
    expect(phone).toHaveTextContent('1001');
    // Under jsdom there is no WebRTC: the phone's status line says so.
    expect(within(phone).getByText(/^Not connected\. This browser cannot make calls/)).toHaveAttribute(
      'role',
      'status',
    );
    expect(phone).toHaveTextContent('Place calls');
  });

  it('gives the console the phone to monitor calls with: the phone area shows the session too', async () => {
    const { user } = await showShellAs('operator');
    const console_ = screen.getByRole('complementary', { name: 'Console' });
    const agent1Call = await within(console_).findByRole('group', { name: /^Monitor Agent One's call/ });
    await user.click(within(agent1Call).getByRole('button', { name: 'Listen' }));
    // Under jsdom the phone cannot register, so the session is refused at once, and said so.
    const line = within(screen.getByRole('main', { name: 'Phone' })).getByRole('region', {
      name: 'Monitoring',
    });
    expect(within(line).getByRole('status')).toHaveTextContent(
      'Could not monitor Agent One: Your phone is not connected; monitoring needs it.',
    );
    expect(console_).toHaveTextContent('Your phone is not connected; monitoring needs it.');
  });

  it('gives an agent only their own call history', async () => {
    await showShellAs('agent');
    expect(sectionLinks()).toEqual(['My call history']);
    expect(screen.getByRole('heading', { name: 'My call history' })).toBeInTheDocument();
  });

  it('gives an operator the operator panel and groups', async () => {
    await showShellAs('operator');
    expect(sectionLinks()).toEqual([
      'Operator panel',
      'Groups',
      'Wallboard',
      'Agent-state history',
      'My call history',
    ]);
    expect(screen.getByRole('heading', { name: 'Operator panel' })).toBeInTheDocument();
    expect(screen.getByRole('complementary', { name: 'Console' })).toHaveTextContent('Live calls of floor_1');
  });

  it('gives a supervisor profiles, seats, users to read, call history and the audit log', async () => {
    const { user } = await showShellAs('supervisor');
    expect(sectionLinks()).toEqual([
      'Operator panel',
      'Groups',
      'Profiles',
      'Wallboard',
      'Queues',
      'Queue reports',
      'Agent-state history',
      'Seats',
      'Users',
      'Credit',
      'Call history',
      'Audit log',
      'My call history',
    ]);
    await user.click(screen.getByRole('link', { name: 'Users' }));
    const console_ = screen.getByRole('complementary', { name: 'Console' });
    expect(await within(console_).findByRole('heading', { name: 'Users' })).toHaveFocus();
    expect(console_).toHaveTextContent(
      'Read only: adding users, changing roles and resetting passwords is for admins.',
    );
  });

  it('gives an admin everything, users included', async () => {
    const { user } = await showShellAs('admin');
    expect(sectionLinks()).toEqual([
      'Operator panel',
      'Groups',
      'Profiles',
      'Wallboard',
      'Queues',
      'Queue reports',
      'Agent-state history',
      'Seats',
      'Users',
      'Trunks',
      'Numbers',
      'Credit',
      'Call history',
      'Audit log',
      'My call history',
    ]);
    await user.click(screen.getByRole('link', { name: 'Users' }));
    const console_ = screen.getByRole('complementary', { name: 'Console' });
    expect(await within(console_).findByRole('heading', { name: 'Users' })).toBeInTheDocument();
    expect(console_).toHaveTextContent('reset passwords');
    expect(console_).not.toHaveTextContent('Read only');
  });

  it('signs out: the server session ends, the cache empties, sign-in shows', async () => {
    let deleted = false;
    server.use(
      http.delete('/api/session', () => {
        deleted = true;
        fakeSession.signOut();
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user, queryClient } = await showShellAs('supervisor');
    expect(FakeEventSource.open().length).toBe(1);

    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(deleted).toBe(true);
    expect(
      queryClient
        .getQueryCache()
        .getAll()
        .map((query) => query.queryKey),
    ).toEqual([['me']]);
    expect(FakeEventSource.open().length).toBe(0);
    expect(screen.getByLabelText('Username')).toHaveFocus();
  });

  it('stays signed in and says so when signing out fails', async () => {
    server.use(
      http.delete('/api/session', () =>
        HttpResponse.json({ error: { code: 'internal', message: 'Something broke.' } }, { status: 500 }),
      ),
    );
    const { user } = await showShellAs('agent');
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Signing out failed: Something broke.');
    expect(screen.getByRole('banner')).toHaveTextContent('Agent One');
  });

  it('returns to sign-in when any query answers 401', async () => {
    function ProfilesProbe() {
      const profiles = useQuery({ queryKey: ['profiles'], queryFn: () => apiClient.get('/api/profiles') });
      return <p>{profiles.isSuccess ? 'loaded' : 'loading'}</p>;
    }
    fakeSession.signIn('supervisor');
    server.use(
      http.get('/api/profiles', () =>
        HttpResponse.json(
          { error: { code: 'unauthenticated', message: 'Sign in to continue.' } },
          { status: 401 },
        ),
      ),
    );
    renderWithProviders(
      <>
        <App />
        <ProfilesProbe />
      </>,
    );
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('banner')).not.toBeInTheDocument());
  });

  it('says so, with a way to retry, when the server cannot be reached at start', async () => {
    server.use(http.get('/api/session', () => HttpResponse.error()));
    const { user } = renderWithProviders(<App />);
    expect(await screen.findByRole('alert')).toHaveTextContent('The server could not be reached.');

    server.resetHandlers();
    fakeSession.signIn('agent1');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('banner')).toHaveTextContent('Agent One');
  });
});
