import { lazy, Suspense, useMemo } from 'react';
import type { Me } from '../../contracts/users';
import { MonitorLinkContext } from '../lib/monitor-link';
import { PhonePanel } from '../phone/components/phone-panel';
import { createPhoneMonitorLink } from '../phone/monitor-link-adapter';
import { usePhoneSession } from '../phone/use-phone-session';
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
  // One phone for the whole shell: the phone panel shows it, the console monitors calls through it.
  const phone = usePhoneSession(me);
  const monitorLink = useMemo(() => createPhoneMonitorLink(phone), [phone]);
  return (
    <MonitorLinkContext.Provider value={me.profile ? monitorLink : null}>
      <div className="shell">
        <title>Switchboard</title>
        <AppHeader me={me} />
        <div className="shell-body">
          <main className="phone-area" aria-labelledby="phone-heading">
            <PhonePanel me={me} store={phone} />
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
    </MonitorLinkContext.Provider>
  );
}
