import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Web from 'sip.js/lib/platform/web/session-description-handler/index.js';
import {
  CANDIDATE_QUIET_MS,
  candidatesSuffice,
  finishIceGatheringEarly,
  gatheringAim,
  kindFromSdp,
} from './early-ice-completion';
import type { CandidateKind, GatheringAim } from './early-ice-completion';

const kinds = (...list: CandidateKind[]) => new Set(list);

describe('gatheringAim', () => {
  it('waits for nothing beyond host candidates when no ICE server is configured', () => {
    expect(gatheringAim([])).toEqual({ srflx: false, relay: false });
  });

  it('waits for the public address with STUN and for the relay with TURN, in any form of urls', () => {
    expect(gatheringAim([{ urls: 'stun:stun.example.org:3478' }])).toEqual({ srflx: true, relay: false });
    expect(
      gatheringAim([{ urls: ['turns:turn.example.org:443?transport=tcp'], username: 'u', credential: 'p' }]),
    ).toEqual({ srflx: false, relay: true });
    expect(
      gatheringAim([{ urls: 'STUN:a.example.org' }, { urls: ['turn:b.example.org'], username: 'u' }]),
    ).toEqual({ srflx: true, relay: true });
  });
});

describe('candidatesSuffice', () => {
  const none: GatheringAim = { srflx: false, relay: false };
  const stun: GatheringAim = { srflx: true, relay: false };
  const turn: GatheringAim = { srflx: true, relay: true };

  it('without ICE servers: one host candidate is enough', () => {
    expect(candidatesSuffice(none, kinds())).toBe(false);
    expect(candidatesSuffice(none, kinds('host'))).toBe(true);
  });

  it('with STUN: host candidates alone are not (calls between networks need the public address)', () => {
    expect(candidatesSuffice(stun, kinds('host'))).toBe(false);
    expect(candidatesSuffice(stun, kinds('host', 'srflx'))).toBe(true);
  });

  it('with TURN: only a relay candidate is enough, whatever else came', () => {
    expect(candidatesSuffice(turn, kinds('host', 'srflx'))).toBe(false);
    expect(candidatesSuffice(turn, kinds('host', 'srflx', 'relay'))).toBe(true);
  });
});

describe('kindFromSdp', () => {
  it('reads the typ of a candidate line', () => {
    expect(kindFromSdp('candidate:1 1 udp 2122260223 192.0.2.2 50000 typ host generation 0')).toBe('host');
    expect(kindFromSdp('candidate:2 1 udp 41885439 203.0.113.9 3478 typ relay raddr 0.0.0.0')).toBe('relay');
  });
});

describe('finishIceGatheringEarly', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function handlerWith(aim: GatheringAim) {
    const complete = vi.fn();
    const handler = {
      peerConnectionDelegate: undefined as Web.PeerConnectionDelegate | undefined,
      iceGatheringComplete: complete,
    };
    finishIceGatheringEarly(handler as unknown as Web.SessionDescriptionHandler, aim);
    const delegate = handler.peerConnectionDelegate as Web.PeerConnectionDelegate;
    const candidate = (type: CandidateKind) =>
      delegate.onicecandidate?.({
        candidate: { type, candidate: `typ ${type}` },
      } as RTCPeerConnectionIceEvent);
    const gathering = (state: RTCIceGatheringState) =>
      delegate.onicegatheringstatechange?.({ target: { iceGatheringState: state } } as unknown as Event);
    return { complete, candidate, gathering };
  }

  it('ends the wait once the host candidates have been quiet for a moment', () => {
    const { complete, candidate } = handlerWith({ srflx: false, relay: false });
    candidate('host');
    vi.advanceTimersByTime(CANDIDATE_QUIET_MS - 2);
    candidate('host'); // another interface: the quiet period starts again
    vi.advanceTimersByTime(CANDIDATE_QUIET_MS - 2);
    expect(complete).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2);
    expect(complete).toHaveBeenCalledTimes(1);
  });

  it('with TURN, keeps waiting through host and server-reflexive candidates until a relay one', () => {
    const { complete, candidate } = handlerWith({ srflx: true, relay: true });
    candidate('host');
    candidate('srflx');
    vi.advanceTimersByTime(1_000);
    expect(complete).not.toHaveBeenCalled();
    candidate('relay');
    vi.advanceTimersByTime(CANDIDATE_QUIET_MS);
    expect(complete).toHaveBeenCalledTimes(1);
  });

  it('starts over on a new gathering (ICE restart): a relay from before does not count', () => {
    const { complete, candidate, gathering } = handlerWith({ srflx: false, relay: true });
    gathering('gathering');
    candidate('relay');
    vi.advanceTimersByTime(CANDIDATE_QUIET_MS);
    expect(complete).toHaveBeenCalledTimes(1);
    gathering('complete');
    gathering('gathering');
    candidate('host');
    vi.advanceTimersByTime(1_000);
    expect(complete).toHaveBeenCalledTimes(1);
  });
});
