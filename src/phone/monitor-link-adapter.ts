import type { MonitorLink } from '../lib/monitor-link';
import type { PhoneStore } from './phone-store';

/**
 * The phone's side of the MonitorLink the console drives: reads and writes the phone store, whose
 * commands reach the SIP phone. Plain closures, so `subscribe` and `getSnapshot` work unbound
 * (useSyncExternalStore calls them so).
 */
export function createPhoneMonitorLink(store: PhoneStore): MonitorLink {
  const actions = () => store.getState().actions;
  return {
    subscribe: (listener) =>
      store.subscribe((state, previous) => {
        if (state.monitorSession !== previous.monitorSession) listener();
      }),
    getSnapshot: () => store.getState().monitorSession,
    start: (target, mode) => actions().monitorStartRequested(target, mode),
    changeMode: (mode) => actions().monitorModeRequested(mode),
    stop: () => actions().monitorStopRequested(),
    dismiss: () => actions().monitorDismissed(),
  };
}
