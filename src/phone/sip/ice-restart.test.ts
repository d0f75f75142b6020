import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session } from 'sip.js/lib/api/index.js';
import type { Logger } from 'sip.js/lib/core/index.js';
import { CallDescriptionHandler } from './call-description-handler';
import { backOffMs, restartSessionIce } from './ice-restart';
import { reinviteSession } from './testing/fake-reinvite-session';

/** The peer connection parts a restart reads: its state and the other side's description. */
class FakePeerConnection extends EventTarget {
  static last: FakePeerConnection;
  signalingState: RTCSignalingState = 'stable';
  remoteDescription: { type: RTCSdpType; sdp: string } | null = {
    type: 'answer',
    sdp: 'v=0\r\na=ice-ufrag:before\r\n',
  };
  constructor() {
    super();
    FakePeerConnection.last = this;
  }
}

const quietLogger = { debug() {}, log() {}, warn() {}, error() {} } as unknown as Logger;

/** A session with a peer connection whose re-INVITEs get the statuses in `answers`, in order. */
function sessionAnswering(answers: number[]) {
  const handler = new CallDescriptionHandler(quietLogger, async () => new MediaStream(), {});
  return { ...reinviteSession(answers, handler), peerConnection: FakePeerConnection.last };
}

function side(session: Session, sentInvite = true) {
  return { session, sentInvite, held: () => false, ended: () => false };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
  vi.stubGlobal('MediaStream', class {});
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('restarting ICE on an answered session', () => {
  it('asks for new ICE credentials, and is done when the other side accepts', async () => {
    const { session, sent } = sessionAnswering([200]);
    await expect(restartSessionIce(side(session))).resolves.toBe(true);
    expect(sent).toEqual([{ hold: false, offerOptions: { iceRestart: true } }]);
  });

  it.each([491, 480])('tries again after the back-off when answered %i', async (status) => {
    const { session, sent } = sessionAnswering([status, 200]);
    const restarted = restartSessionIce(side(session, true));
    await vi.advanceTimersByTimeAsync(2_099);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_901);
    await expect(restarted).resolves.toBe(true);
    expect(sent).toHaveLength(2);
  });

  it('stops when the other side restarted meanwhile (its ICE credentials changed)', async () => {
    const { session, sent, peerConnection } = sessionAnswering([491]);
    const restarted = restartSessionIce(side(session, true));
    await vi.advanceTimersByTimeAsync(0);
    peerConnection.remoteDescription = { type: 'offer', sdp: 'v=0\r\na=ice-ufrag:after\r\n' };
    await vi.advanceTimersByTimeAsync(4_000);
    await expect(restarted).resolves.toBe(true);
    expect(sent).toHaveLength(1);
  });

  it('gives up on a refusal that waiting does not change, and after three crossings', async () => {
    const refused = sessionAnswering([488]);
    await expect(restartSessionIce(side(refused.session))).resolves.toBe(false);
    expect(refused.sent).toHaveLength(1);

    const crossing = sessionAnswering([491, 491, 491, 200]);
    const restarted = restartSessionIce(side(crossing.session, false));
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(restarted).resolves.toBe(false);
    expect(crossing.sent).toHaveLength(3);
  });
});

describe('the back-off after crossing re-INVITEs (RFC 3261 §14.1)', () => {
  it('is 2.1–4 s for the side that sent the first INVITE, up to 2 s for the other', () => {
    expect([backOffMs(true, 0), backOffMs(true, 1)]).toEqual([2_100, 4_000]);
    expect([backOffMs(false, 0), backOffMs(false, 1)]).toEqual([0, 2_000]);
  });
});
