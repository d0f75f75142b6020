import type * as Web from 'sip.js/lib/platform/web/session-description-handler/index.js';
import type { SipCredentials } from '../../../contracts/sip';

/**
 * How long the candidates must have been quiet, once the wanted kinds are in, before the offer or
 * answer goes out. Chromium gathers the UDP host candidates of every interface in one step (they
 * come within 2 ms of each other, measured by `CALL_TRACE=1 npm run bench:calls`); the next step
 * (host TCP, about 100 ms later) only offers "active" TCP candidates, which another browser cannot
 * pair with.
 */
export const CANDIDATE_QUIET_MS = 10;

export type CandidateKind = 'host' | 'srflx' | 'prflx' | 'relay';

/** The candidate kinds worth waiting for, given the ICE servers the phone was handed. */
export type GatheringAim = {
  /** A STUN server is configured: wait for the server-reflexive (public) address. */
  srflx: boolean;
  /** A TURN server is configured: wait for the relayed address (what works through any NAT). */
  relay: boolean;
};

export function gatheringAim(iceServers: SipCredentials['iceServers']): GatheringAim {
  const urls = iceServers.flatMap((server) =>
    typeof server.urls === 'string' ? [server.urls] : server.urls,
  );
  return {
    srflx: urls.some((url) => /^stuns?:/i.test(url)),
    relay: urls.some((url) => /^turns?:/i.test(url)),
  };
}

/**
 * Whether the candidates seen so far are enough to describe every way to reach this phone: a relay
 * candidate when TURN is configured, a server-reflexive one when STUN is, otherwise a host one.
 * Until then the phone waits for them (up to sip.js's iceGatheringTimeout, or until the browser
 * says gathering is complete).
 */
export function candidatesSuffice(aim: GatheringAim, seen: ReadonlySet<CandidateKind>): boolean {
  if (aim.relay) return seen.has('relay');
  if (aim.srflx) return seen.has('srflx');
  return seen.has('host');
}

/**
 * Lets sip.js send the offer or answer as soon as the candidates that can come are in, instead of
 * waiting for gathering to end: with no STUN/TURN server that is the host candidates (the browser
 * would go on to gather TCP ones for another 100+ ms); with STUN it also waits for the public
 * address, with TURN for the relayed one. Each new gathering (an ICE restart) starts over.
 */
export function finishIceGatheringEarly(handler: Web.SessionDescriptionHandler, aim: GatheringAim): void {
  let seen = new Set<CandidateKind>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stopTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  handler.peerConnectionDelegate = {
    onicegatheringstatechange: (event) => {
      const state = (event.target as RTCPeerConnection | null)?.iceGatheringState;
      if (state !== 'gathering') return;
      seen = new Set();
      stopTimer();
    },
    onicecandidate: (event) => {
      const candidate = event.candidate;
      if (!candidate) return;
      seen.add(candidate.type ?? kindFromSdp(candidate.candidate));
      if (!candidatesSuffice(aim, seen)) return;
      stopTimer();
      timer = setTimeout(() => {
        timer = undefined;
        handler.iceGatheringComplete();
      }, CANDIDATE_QUIET_MS);
    },
  };
}

/** The `typ` of an SDP candidate line (browsers without RTCIceCandidate.type). */
export function kindFromSdp(line: string): CandidateKind {
  const kind = / typ (host|srflx|prflx|relay)\b/.exec(line)?.[1];
  return (kind as CandidateKind | undefined) ?? 'host';
}
