import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../contracts/errors';
import { server } from '../testing/msw-server';
import { renderWithProviders } from '../testing/render';
import { App } from './app';

function apiError(status: number, error: ApiError['error'], headers?: Record<string, string>) {
  return HttpResponse.json<ApiError>({ error }, { status, ...(headers ? { headers } : {}) });
}

async function showSignIn() {
  const rendered = renderWithProviders(<App />);
  await screen.findByRole('heading', { name: 'Sign in' });
  return rendered;
}

describe('sign-in page', () => {
  it('focuses the username field first', async () => {
    await showSignIn();
    expect(screen.getByLabelText('Username')).toHaveFocus();
  });

  it('signs in and shows the shell for the user', async () => {
    const { user } = await showSignIn();
    await user.type(screen.getByLabelText('Username'), 'supervisor');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    const banner = await screen.findByRole('banner');
    expect(banner).toHaveTextContent('Sam Supervisor');
    expect(banner).toHaveTextContent('Supervisor');
    expect(screen.queryByRole('heading', { name: 'Sign in' })).not.toBeInTheDocument();
  });

  it('sends the trimmed username and the password as typed', async () => {
    let body: unknown;
    server.use(
      http.post('/api/session', async ({ request }) => {
        body = await request.json();
        return apiError(401, { code: 'unauthenticated', message: 'Wrong username or password.' });
      }),
    );
    const { user } = await showSignIn();
    await user.type(screen.getByLabelText('Username'), '  agent1 ');
    await user.type(screen.getByLabelText('Password'), ' secret ');
    await user.keyboard('{Enter}');
    await screen.findByRole('alert');
    expect(body).toEqual({ username: 'agent1', password: ' secret ' });
  });

  it('shows a pending state while signing in', async () => {
    let release: () => void = () => {};
    server.use(
      http.post('/api/session', async () => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return apiError(401, { code: 'unauthenticated', message: 'Wrong username or password.' });
      }),
    );
    const { user } = await showSignIn();
    await user.type(screen.getByLabelText('Username'), 'agent1');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    const pending = await screen.findByRole('button', { name: 'Signing in…' });
    expect(pending).toHaveAttribute('aria-disabled', 'true');
    release();
    expect(await screen.findByRole('button', { name: 'Sign in' })).not.toHaveAttribute(
      'aria-disabled',
      'true',
    );
  });

  it('says so when the username or password is wrong', async () => {
    server.use(
      http.post('/api/session', () =>
        apiError(401, { code: 'unauthenticated', message: 'Wrong username or password.' }),
      ),
    );
    const { user } = await showSignIn();
    await user.type(screen.getByLabelText('Username'), 'agent1');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password.');
    expect(screen.getByLabelText('Password')).toHaveFocus();
    // Still on the sign-in page: a wrong password is not an ended session.
    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('tells how long to wait when sign-ins are rate limited', async () => {
    server.use(
      http.post('/api/session', () =>
        apiError(
          429,
          { code: 'rate_limited', message: 'Too many failed sign-ins.' },
          { 'Retry-After': '42' },
        ),
      ),
    );
    const { user } = await showSignIn();
    await user.type(screen.getByLabelText('Username'), 'agent1');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Too many failed sign-ins. Try again in 42 seconds.',
    );
  });

  it('shows the server’s field errors beside their fields', async () => {
    server.use(
      http.post('/api/session', () =>
        apiError(400, {
          code: 'validation_failed',
          message: 'The request has invalid fields.',
          fields: { username: 'username must be at most 64 characters', password: 'password must be text' },
        }),
      ),
    );
    const { user } = await showSignIn();
    await user.type(screen.getByLabelText('Username'), 'someone');
    await user.type(screen.getByLabelText('Password'), 'secret');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    const username = screen.getByLabelText('Username');
    await waitFor(() =>
      expect(username).toHaveAccessibleDescription('Username must be at most 64 characters.'),
    );
    expect(username).toBeInvalid();
    expect(username).toHaveFocus();
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Password must be text.');
  });

  it('asks for both fields before sending anything', async () => {
    const { user } = await showSignIn();
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(screen.getByLabelText('Username')).toHaveAccessibleDescription('Username is required.');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Password is required.');
    expect(screen.getByLabelText('Username')).toHaveFocus();
  });

  it('explains when the server cannot be reached', async () => {
    server.use(http.post('/api/session', () => HttpResponse.error()));
    const { user } = await showSignIn();
    await user.type(screen.getByLabelText('Username'), 'agent1');
    await user.type(screen.getByLabelText('Password'), 'secret');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('The server could not be reached.');
  });
});
