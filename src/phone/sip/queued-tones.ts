/** What queueing keypad tones needs of a session description handler. */
export type TonesSender = {
  readonly peerConnection?: Pick<RTCPeerConnection, 'getSenders'> | undefined;
  sendDtmf(tones: string): boolean;
};

/**
 * Sends a keypad tone in the call's audio (RFC 4733) after those still waiting to be played.
 * The browser's DTMF sender replaces its whole queue on each insert, so keys pressed faster than
 * a tone lasts (about 170 ms with its gap) would otherwise drop the ones before: the queue still
 * unplayed goes again in front of the new key.
 */
export function sendQueuedTone(handler: TonesSender, tone: string): boolean {
  const sender = handler.peerConnection?.getSenders().find((each) => each.track?.kind === 'audio');
  const waiting = sender?.dtmf?.toneBuffer ?? '';
  return handler.sendDtmf(waiting + tone);
}
