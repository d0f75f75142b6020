import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from 'sip.js/lib/core/index.js';
import { CallDescriptionHandler } from './call-description-handler';

/** The parts of a peer connection the handler's gathering wait and rollback touch. */
class FakePeerConnection {
  static last: FakePeerConnection;
  signalingState: RTCSignalingState = 'stable';
  iceGatheringState: RTCIceGatheringState = 'complete';
  localDescription: { type: RTCSdpType; sdp: string } | null = null;
  setLocalDescription = vi.fn(async (description: { type: RTCSdpType }) => {
    if (description.type === 'rollback') this.signalingState = 'stable';
  });
  constructor() {
    FakePeerConnection.last = this;
  }
  /** This side's description of ICE generation `ufrag`, its candidates gathered. */
  describe(ufrag: string): void {
    this.localDescription = { type: 'offer', sdp: `v=0\r\na=ice-ufrag:${ufrag}\r\n` };
  }
}

const quietLogger = { debug() {}, log() {}, warn() {}, error() {} } as unknown as Logger;

function handler(): { sdh: CallDescriptionHandler; pc: FakePeerConnection; wait(): Promise<boolean> } {
  const sdh = new CallDescriptionHandler(quietLogger, async () => new MediaStream(), {});
  const pc = FakePeerConnection.last;
  // Whether the wait for candidates ends by itself (false: it waits for the candidates to come).
  const wait = async () => {
    let ended = false;
    const waited = (sdh as unknown as { waitForIceGatheringComplete(restart?: boolean): Promise<void> })
      .waitForIceGatheringComplete(false)
      .then(() => {
        ended = true;
      });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const endedAtOnce = ended;
    sdh.iceGatheringComplete();
    await waited;
    return endedAtOnce;
  };
  return { sdh, pc, wait };
}

beforeEach(() => {
  vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
  vi.stubGlobal('MediaStream', class {});
});
afterEach(() => vi.unstubAllGlobals());

describe("a call's session description handler", () => {
  it('sends a description of the same ICE generation (hold, resume) without waiting again', async () => {
    const { pc, wait } = handler();
    pc.describe('gen1');
    await wait();
    expect(await wait()).toBe(true);
  });

  it("waits for new candidates when answering the other side's ICE restart", async () => {
    const { pc, wait } = handler();
    pc.describe('gen1');
    await wait();
    // The answer to a restart offer: a new local ufrag, while gathering still reads "complete".
    pc.describe('gen2');
    expect(await wait()).toBe(false);
    expect(await wait()).toBe(true);
  });

  it('takes back a refused offer, and leaves a settled call as it is', async () => {
    const { sdh, pc } = handler();
    pc.signalingState = 'have-local-offer';
    await sdh.rollbackDescription();
    expect(pc.setLocalDescription).toHaveBeenCalledWith({ type: 'rollback' });
    expect(pc.signalingState).toBe('stable');
    await sdh.rollbackDescription();
    expect(pc.setLocalDescription).toHaveBeenCalledTimes(1);
  });
});
