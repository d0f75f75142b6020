import { lazy, Suspense } from 'react';
import type { Me } from '../../contracts/users';
import { PhonePanel } from '../phone/components/phone-panel';
import { AppHeader } from './app-header';
import { PanelErrorBoundary } from './panel-error-boundary';
import { useLiveEvents } from './use-live-events';

// The console is its own chunk: the phone shows without waiting for it.
const ConsolePanel = lazy(() =>
  import('../admin/console-panel').then((module) => ({ default: module.ConsolePanel })),
);

type SignedInLayoutProps = { me: Me };

export function SignedInLayout({ me }: SignedInLayoutProps) {
  useLiveEvents(me);
  return (
    <div className="shell">
      <title>Switchboard</title>
      <AppHeader me={me} />
      <div className="shell-body">
        <main className="phone-area" aria-labelledby="phone-heading">
          <PhonePanel me={me} />
        </main>
        <aside className="console" aria-labelledby="console-heading">
          <h2 id="console-heading" className="console-heading">
            Console
          </h2>
          <PanelErrorBoundary what="console">
            <Suspense
              fallback={
                <p role="status" className="loading-line">
                  <span className="spinner" aria-hidden="true" />
                  Loading the console…
                </p>
              }
            >
              <ConsolePanel me={me} />
            </Suspense>
          </PanelErrorBoundary>
        </aside>
      </div>
    </div>
  );
}
