import { describe, expect, it } from 'vitest';
import { chromiumOffer, plainAnswer } from './sample-sdp.fixture';
import { cleanSdpForTrunk } from './trunk-sdp';

describe('SDP toward a trunk', () => {
  it('loses every WebRTC-only attribute and keeps the rest in order, with its CRLFs', () => {
    const cleaned = cleanSdpForTrunk(chromiumOffer);
    for (const gone of [
      'a=group:BUNDLE',
      'a=extmap-allow-mixed',
      'a=msid-semantic',
      'a=mid:',
      'a=extmap:',
      'a=msid:',
      'a=rtcp-rsize',
      'a=ssrc:',
    ])
      expect(cleaned, gone).not.toContain(gone);
    const kept = chromiumOffer
      .split('\r\n')
      .filter((line) => !/^a=(group|extmap|msid|mid|rtcp-rsize|ssrc)/.test(line));
    expect(cleaned.split('\r\n')).toEqual(kept);
    expect(cleaned).toContain('a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n');
    expect(cleaned.endsWith('\r\n')).toBe(true);
    // Lookalikes stay: only whole attribute names match.
    expect(cleanSdpForTrunk('a=midpoint:1\r\na=ssrcx\r\na=mid:0\r\n')).toBe('a=midpoint:1\r\na=ssrcx\r\n');
  });

  it('leaves a plain SDP as it was, LF-only too', () => {
    expect(cleanSdpForTrunk(plainAnswer(4000))).toBe(plainAnswer(4000));
    const lf = plainAnswer(4000).replace(/\r\n/g, '\n');
    expect(cleanSdpForTrunk(lf + 'a=ssrc:1 cname:x\n')).toBe(lf);
  });
});
