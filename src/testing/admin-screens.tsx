import { screen, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import { onTestFinished } from 'vitest';
import type { Role } from '../../contracts/roles';
import type { Me } from '../../contracts/users';
import { demoUsernameFor } from './demo-data';
import { fakeSession } from './fake-session';
import { server } from './msw-server';
import { renderWithProviders } from './render';

/** Renders a console screen for the demo user of a role (signed in for the handlers too). */
export function renderAs(role: Role, ui: (me: Me) => ReactElement) {
  const me = fakeSession.signIn(demoUsernameFor[role]);
  return { ...renderWithProviders(ui(me)), me };
}

/** The toasts' live region. */
export function toasts() {
  return within(screen.getByRole('region', { name: 'Notifications' }));
}

export type RecordedRequest = { method: string; url: URL; body: unknown };

/** Every API request the test makes, with its parsed JSON body, in order. */
export function recordRequests(): RecordedRequest[] {
  const requests: RecordedRequest[] = [];
  const listener = ({ request }: { request: Request }) => {
    const entry: RecordedRequest = { method: request.method, url: new URL(request.url), body: undefined };
    requests.push(entry);
    if (request.method !== 'GET' && request.method !== 'HEAD')
      void request
        .clone()
        .text()
        .then((text) => {
          entry.body = text ? (JSON.parse(text) as unknown) : undefined;
        });
  };
  server.events.on('request:start', listener);
  onTestFinished(() => {
    server.events.removeListener('request:start', listener);
  });
  return requests;
}
