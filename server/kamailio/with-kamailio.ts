import type { LiveCounts } from '../events/live-counts';
import type { SipControl } from '../sip/sip-control';
import type { KamailioCalls } from './kamailio-calls';

/**
 * The built-in edge's seat control with Kamailio's calls and phones added: the operator panel,
 * the call lists, the seat list and the devices page read one set whichever edge carries them.
 * A seat registered through Kamailio cannot be dropped from here (`dropRefusal` says why).
 */
export function withKamailioCalls(sip: SipControl, calls: KamailioCalls): SipControl {
  return {
    listSeats: () => [...sip.listSeats(), ...calls.seats()].sort((a, b) => a.since.localeCompare(b.since)),
    dropSeat: (id) => (calls.isKamailioSeat(id) ? null : sip.dropSeat(id)),
    dropRefusal: (id) =>
      calls.isKamailioSeat(id)
        ? 'This phone is registered through Kamailio, which cannot be told to sign it out: it is signed out when its registration expires, unless the phone renews it first.'
        : (sip.dropRefusal?.(id) ?? null),
    dropUser: (userId) => sip.dropUser(userId),
    liveDialogs: () => [...sip.liveDialogs(), ...calls.liveDialogs()],
    phonesOf: (userId) => {
      const edge = sip.phonesOf(userId);
      const kamailio = calls.phonesOf(userId);
      return { registered: edge.registered || kamailio.registered, canMix: edge.canMix || kamailio.canMix };
    },
    registrationsOf: (userId) =>
      [...sip.registrationsOf(userId), ...calls.registrationsOf(userId)].sort((a, b) =>
        a.since.localeCompare(b.since),
      ),
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
