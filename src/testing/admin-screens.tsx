import { screen, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { onTestFinished } from 'vitest';
import type { Role } from '../../contracts/roles';
import type { Me } from '../../contracts/users';
import { meQueryKey } from '../app/session-queries';
import { useLiveEvents } from '../app/use-live-events';
import { demoUsernameFor } from './demo-data';
import { FakeEventSource } from './fake-event-source';
import { fakeSession } from './fake-session';
import { server } from './msw-server';
import { renderWithProviders } from './render';

function LiveEvents({ me }: { me: Me }) {
  useLiveEvents(me);
  return null;
}

/**
 * Renders a console screen for the demo user of a role (signed in for the handlers too),
 * listening to live events as the signed-in app does: lists refresh only through them, and the
 * fakes publish what the server would after each mutation. `source` is the open stream, for a
 * test to `emit` other people's changes on.
 */
export function renderAs(role: Role, ui: (me: Me) => ReactElement) {
  const me = fakeSession.signIn(demoUsernameFor[role]);
  const rendered = renderWithProviders(
    <>
      <LiveEvents me={me} />
      {ui(me)}
    </>,
  );
  rendered.queryClient.setQueryData(meQueryKey, me);
  const source = FakeEventSource.open().at(-1);
  if (!source) throw new Error('The screen opened no live event stream.');
  source.connect();
  return { ...rendered, me, source };
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

/** The table row whose row header says exactly `name`, to query inside. */
export function rowOf(name: string) {
  const cell = screen.getAllByRole('rowheader').find((header) => header.textContent === name);
  if (!cell) throw new Error(`No row for ${name}`);
  return within(cell.closest('tr') as HTMLElement);
}

/** Replaces a field's text in one input event, as pasting does (typing each key is slow in jsdom). */
export async function fill(user: UserEvent, field: HTMLElement, text: string) {
  await user.clear(field);
  await user.click(field);
  if (text) await user.paste(text);
}
