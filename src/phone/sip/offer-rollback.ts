/** What rolling an offer back needs of a peer connection. */
export type RollbackTarget = Pick<RTCPeerConnection, 'signalingState' | 'setLocalDescription'>;

/**
 * Takes back this side's offer that the other side did not answer, so the peer connection is
 * stable again with its previous descriptions (and, after an ICE restart offer, its previous ICE
 * credentials). Nothing to do when no local offer is pending.
 */
export async function rollBackLocalOffer(peerConnection: RollbackTarget | undefined): Promise<void> {
  if (peerConnection?.signalingState !== 'have-local-offer') return;
  await peerConnection.setLocalDescription({ type: 'rollback' });
}
