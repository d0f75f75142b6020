import { PhoneState } from './sip/phone-state';
import type { PhoneStatusDetail } from './sip/phone-user-agent-delegate';
import type { Registration } from './phone-store';

/** The phone's connection as the screen shows it, from the SIP side's state and its detail. */
export function registrationOf(state: PhoneState, detail: PhoneStatusDetail): Registration {
  switch (state) {
    case PhoneState.Connecting:
      return { status: 'connecting' };
    case PhoneState.Registered:
      return { status: 'registered' };
    case PhoneState.Reconnecting: {
      const edge = detail.edge;
      return {
        status: 'reconnecting',
        nextAttemptAt: detail.nextAttemptAt ?? Date.now(),
        // Which server it tries matters only when there is more than one.
        ...(edge && edge.count > 1 ? { server: { index: edge.index, count: edge.count } } : {}),
      };
    }
    case PhoneState.Failed:
      return { status: 'failed', reason: detail.reason ?? 'The phone could not connect.' };
    case PhoneState.Stopped:
      return { status: 'stopped' };
  }
}
