import { useEffect, useState } from 'react';
import type { Me } from '../../contracts/users';
import { readDtmfMode } from './dtmf-preference';
import { createPhoneStore } from './phone-store';
import type { PhoneStore } from './phone-store';

/**
 * The phone of the signed-in person: a fresh store, and while mounted the SIP phone behind it
 * (loaded as its own chunk, so the screen shows before sip.js has arrived). Unmounting (sign-out)
 * un-registers.
 */
export function usePhoneSession(me: Me): PhoneStore {
  const [store] = useState(() => createPhoneStore());
  const hasProfile = me.profile !== null;
  const autoAnswer = me.profile?.flags.includes('auto_answer') ?? false;
  const recordingMode = me.profile?.recording ?? 'off';
  const recordingNotice = me.profile?.recordingNotice ?? false;

  useEffect(() => {
    if (!hasProfile) return;
    if (typeof RTCPeerConnection === 'undefined') {
      store.getState().actions.registrationChanged({
        status: 'failed',
        reason: 'This browser cannot make calls (it has no WebRTC). Use a current Chrome, Edge or Firefox.',
      });
      return;
    }
    let stopped = false;
    let stop: (() => Promise<void>) | undefined;
    store.getState().actions.registrationChanged({ status: 'connecting' });
    void Promise.all([import('./phone-controller'), import('./sip-credentials')]).then(
      ([{ PhoneController }, { fetchSipCredentials }]) => {
        if (stopped) return;
        const controller = new PhoneController({
          store,
          origin: window.location.origin,
          fetchCredentials: fetchSipCredentials,
          autoAnswer,
          dtmfMode: readDtmfMode,
          recording: { mode: recordingMode, notice: recordingNotice },
        });
        controller.start();
        stop = () => controller.stop();
      },
      () => {
        if (!stopped)
          store.getState().actions.registrationChanged({
            status: 'failed',
            reason: 'The phone could not be loaded. Reload the page to try again.',
          });
      },
    );
    return () => {
      stopped = true;
      void stop?.();
    };
  }, [store, hasProfile, autoAnswer, recordingMode, recordingNotice, me.user.id]);

  return store;
}
