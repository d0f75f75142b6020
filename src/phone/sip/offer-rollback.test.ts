import { describe, expect, it, vi } from 'vitest';
import { rollBackLocalOffer } from './offer-rollback';

function peerConnection(signalingState: RTCSignalingState) {
  return { signalingState, setLocalDescription: vi.fn(async () => undefined) };
}

describe('taking back a refused offer', () => {
  it('rolls the local offer back when one is pending', async () => {
    const pc = peerConnection('have-local-offer');
    await rollBackLocalOffer(pc);
    expect(pc.setLocalDescription).toHaveBeenCalledWith({ type: 'rollback' });
  });

  it.each(['stable', 'have-remote-offer', 'closed'] as const)(
    'leaves a peer connection in %s as it is',
    async (state) => {
      const pc = peerConnection(state);
      await rollBackLocalOffer(pc);
      expect(pc.setLocalDescription).not.toHaveBeenCalled();
    },
  );

  it('does nothing without a peer connection', async () => {
    await expect(rollBackLocalOffer(undefined)).resolves.toBeUndefined();
  });
});
