import { describe, expect, it } from 'vitest';
import { iceUfrag } from './session-media';

describe('the ICE username fragment of a description', () => {
  it('is read from its first a=ice-ufrag line', () => {
    const sdp =
      'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ice-ufrag:Ab+1\r\na=ice-pwd:x\r\na=ice-ufrag:zz\r\n';
    expect(iceUfrag({ sdp })).toBe('Ab+1');
  });

  it('is null without a description or without the line', () => {
    expect(iceUfrag(null)).toBeNull();
    expect(iceUfrag({ sdp: 'v=0\r\n' })).toBeNull();
  });
});
