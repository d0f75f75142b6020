import type { ReactElement } from 'react';
import type { Role } from '../../contracts/roles';
import type { Me } from '../../contracts/users';
import { meQueryKey } from '../app/session-queries';
import { useLiveEvents } from '../app/use-live-events';
import { renderAs } from './admin-screens';
import { FakeEventSource } from './fake-event-source';

function LiveEvents({ me }: { me: Me }) {
  useLiveEvents(me);
  return null;
}

/**
 * Renders a console screen as `renderAs` does, listening to live events as the signed-in app
 * does; `source` is the open stream, for the test to `emit` changes on.
 */
export function renderLiveAs(role: Role, ui: (me: Me) => ReactElement) {
  const rendered = renderAs(role, (me) => (
    <>
      <LiveEvents me={me} />
      {ui(me)}
    </>
  ));
  rendered.queryClient.setQueryData(meQueryKey, rendered.me);
  const source = FakeEventSource.open().at(-1);
  if (!source) throw new Error('The screen opened no live event stream.');
  source.connect();
  return { ...rendered, source };
}
