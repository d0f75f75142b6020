import type { LiveCounts } from '../events/live-counts';
import type { SipControl } from '../sip/sip-control';
import type { KamailioCalls } from './kamailio-calls';

/**
 * The built-in edge's seat control with Kamailio's calls and phones added: the operator panel
 * and the call lists read one set of live calls whichever edge carries them.
 */
export function withKamailioCalls(sip: SipControl, calls: KamailioCalls): SipControl {
  return {
    listSeats: () => sip.listSeats(),
    dropSeat: (id) => sip.dropSeat(id),
    dropUser: (userId) => sip.dropUser(userId),
    liveDialogs: () => [...sip.liveDialogs(), ...calls.liveDialogs()],
    phonesOf: (userId) => {
      const edge = sip.phonesOf(userId);
      const kamailio = calls.phonesOf(userId);
      return { registered: edge.registered || kamailio.registered, canMix: edge.canMix || kamailio.canMix };
    },
    registrationsOf: (userId) => sip.registrationsOf(userId),
    dropDevice: (deviceId) => sip.dropDevice(deviceId),
    listeningPorts: () => sip.listeningPorts(),
    settled: async () => {
      await sip.settled?.();
      await calls.settled();
    },
  };
}

/** Seats and channels in use: the built-in edge's plus Kamailio's. */
export function withKamailioCounts(live: LiveCounts, calls: KamailioCalls): LiveCounts {
  return {
    seatsInUse: (profileId) => live.seatsInUse(profileId) + calls.seatsInUse(profileId),
    channelsInUse: (profileId) => live.channelsInUse(profileId) + calls.channelsInUse(profileId),
  };
}
