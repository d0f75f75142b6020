import { vi } from 'vitest';
import type { PhoneCommands } from '../phone/phone-commands';

/** The phone store's commands port as recording fakes: what the screen asked the phone to do. */
export function fakePhoneCommands() {
  return {
    dial: vi.fn<PhoneCommands['dial']>(),
    answer: vi.fn<PhoneCommands['answer']>(),
    decline: vi.fn<PhoneCommands['decline']>(),
    hangUp: vi.fn<PhoneCommands['hangUp']>(),
    setMuted: vi.fn<PhoneCommands['setMuted']>(),
    setHeld: vi.fn<PhoneCommands['setHeld']>(),
    sendDtmf: vi.fn<PhoneCommands['sendDtmf']>(),
    blindTransfer: vi.fn<PhoneCommands['blindTransfer']>(),
    attendedTransfer: vi.fn<PhoneCommands['attendedTransfer']>(),
    switchTo: vi.fn<PhoneCommands['switchTo']>(),
    chooseMicrophone: vi.fn<PhoneCommands['chooseMicrophone']>(),
    chooseSpeaker: vi.fn<PhoneCommands['chooseSpeaker']>(),
    chooseRinger: vi.fn<PhoneCommands['chooseRinger']>(),
    enableSound: vi.fn<PhoneCommands['enableSound']>(),
    retryNow: vi.fn<PhoneCommands['retryNow']>(),
    startMonitor: vi.fn<PhoneCommands['startMonitor']>(),
    changeMonitorMode: vi.fn<PhoneCommands['changeMonitorMode']>(),
    stopMonitor: vi.fn<PhoneCommands['stopMonitor']>(),
  } satisfies PhoneCommands;
}
