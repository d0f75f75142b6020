import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { CallView, PhoneActions, PhoneStore, PhoneStoreState } from './phone-store';

const PhoneStoreContext = createContext<PhoneStore | null>(null);

export function PhoneStoreProvider({ store, children }: { store: PhoneStore; children: ReactNode }) {
  return <PhoneStoreContext.Provider value={store}>{children}</PhoneStoreContext.Provider>;
}

function usePhoneStore<T>(selector: (state: PhoneStoreState) => T): T {
  const store = useContext(PhoneStoreContext);
  if (!store) throw new Error('The phone store is missing: render inside <PhoneStoreProvider>.');
  return useStore(store, selector);
}

export const useRegistration = () => usePhoneStore((state) => state.registration);
export const useCalls = () => usePhoneStore((state) => state.calls);
export const useActiveCallId = () => usePhoneStore((state) => state.activeCallId);
export const useActiveCall = (): CallView | undefined =>
  usePhoneStore((state) => state.calls.find((call) => call.id === state.activeCallId));
export const useLastEnded = () => usePhoneStore((state) => state.lastEnded);
export const useDevices = () => usePhoneStore((state) => state.devices);
export const useMicLevel = () => usePhoneStore((state) => state.micLevel);
export const useNotice = () => usePhoneStore((state) => state.notice);
export const useSoundBlocked = () => usePhoneStore((state) => state.soundBlocked);
/** The monitor session this phone places (an operator's), or how the last one ended. */
export const useOwnMonitorSession = () => usePhoneStore((state) => state.monitorSession);
/** Who monitors this phone's calls now (the agent's side). */
export const useMonitoredBy = () => usePhoneStore((state) => state.monitoredBy);
export const usePhoneActions = (): PhoneActions => usePhoneStore((state) => state.actions);
/** This phone's recording of a call, while there is one. */
export const useRecording = (callId: string) => usePhoneStore((state) => state.recordings[callId] ?? null);
