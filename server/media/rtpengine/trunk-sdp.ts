/**
 * WebRTC attributes rtpengine 10.5 passes through (it ignores `sdp-attr`) that plain SIP
 * endpoints do not expect, and some refuse: stream and track ids, SSRC declarations, bundling
 * and media ids, reduced-size RTCP, header extensions.
 */
const WEBRTC_ONLY = [
  /^a=msid(-semantic)?:/i,
  /^a=msid$/i,
  /^a=ssrc(-group)?:/i,
  /^a=mid:/i,
  /^a=group:BUNDLE\b/i,
  /^a=rtcp-rsize$/i,
  /^a=extmap(-allow-mixed)?(:|$)/i,
];

/**
 * The SDP as a trunk should get it: every WebRTC-only attribute line removed, the rest (and the
 * line endings) as they were.
 */
export function cleanSdpForTrunk(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  return sdp
    .split(/\r?\n/)
    .filter((line) => !WEBRTC_ONLY.some((pattern) => pattern.test(line.trim())))
    .join(eol);
}
