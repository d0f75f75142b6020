// SDP as the two sides put it on the wire: Chromium 120+ (sip.js, audio only, ICE gathered) and
// a plain SIP endpoint (a carrier or desk phone: G.711 and RFC 4733 tones over RTP/AVP).
const crlf = (lines: string[]): string => lines.join('\r\n') + '\r\n';

/** A Chromium offer: Opus first, ICE host candidate on loopback, DTLS actpass, BUNDLE, msid, ssrc, extmap. */
export const chromiumOffer = crlf([
  'v=0',
  'o=- 5236893498214503116 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS 1c7f1f0e-5a4b-4f0e-9b86-9d5a0b1b7c11',
  'm=audio 51789 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'c=IN IP4 127.0.0.1',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=candidate:2999745851 1 udp 2122260223 127.0.0.1 51789 typ host generation 0 network-id 1',
  'a=ice-ufrag:Vq3X',
  'a=ice-pwd:7p9Zb2LqkT0Y8FhJ4sWcN1xe',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 3B:0E:62:2D:77:A1:90:58:4C:0E:6F:3A:C2:9D:51:7B:88:14:D6:03:AF:E2:35:91:6C:4E:0A:7D:B8:21:F5:44',
  'a=setup:actpass',
  'a=mid:0',
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=sendrecv',
  'a=msid:1c7f1f0e-5a4b-4f0e-9b86-9d5a0b1b7c11 4a1e2f9d-0c3b-4d6e-8f7a-2b5c9e1d3a40',
  'a=rtcp-mux',
  'a=rtcp-rsize',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  'a=ssrc:1486512337 cname:q6rQm1fJ0bOe7k2B',
  'a=ssrc:1486512337 msid:1c7f1f0e-5a4b-4f0e-9b86-9d5a0b1b7c11 4a1e2f9d-0c3b-4d6e-8f7a-2b5c9e1d3a40',
]);

/** A plain endpoint's answer to a G.711 offer whose telephone-event payload type is `dtmf`. */
export function plainAnswer(port: number, dtmf = 101): string {
  return crlf([
    'v=0',
    'o=carrier 1718 1718 IN IP4 127.0.0.1',
    's=carrier',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP 0 ${dtmf}`,
    'a=rtpmap:0 PCMU/8000',
    `a=rtpmap:${dtmf} telephone-event/8000`,
    `a=fmtp:${dtmf} 0-15`,
    'a=ptime:20',
    'a=sendrecv',
  ]);
}

/** A plain endpoint's offer (a carrier calling in). */
export function plainOffer(port: number): string {
  return crlf([
    'v=0',
    'o=carrier 4711 4711 IN IP4 127.0.0.1',
    's=carrier',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP 8 0 101`,
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    'a=ptime:20',
    'a=sendrecv',
  ]);
}

/** Chromium's answer to a WebRTC offer of PCMA, PCMU and telephone-event/8000 as 101, with media id `mid`. */
export function chromiumAnswer(mid: string): string {
  return crlf([
    'v=0',
    'o=- 8046718212396312731 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    `a=group:BUNDLE ${mid}`,
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS 6f1e5b3c-2d4a-4e8f-9a0b-7c6d5e4f3a21',
    'm=audio 9 UDP/TLS/RTP/SAVPF 8 0 101',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    'a=ice-ufrag:Hk2p',
    'a=ice-pwd:Qm4yT8vB1nR6xZ0cL3wJ9sDf',
    'a=ice-options:trickle',
    'a=fingerprint:sha-256 A4:5D:19:C2:7E:3B:80:F6:21:9A:D4:5C:0B:E7:38:6F:12:AD:94:C3:5E:7B:08:F1:62:9D:B3:4A:E0:57:1C:8E',
    'a=setup:active',
    `a=mid:${mid}`,
    'a=sendrecv',
    'a=msid:6f1e5b3c-2d4a-4e8f-9a0b-7c6d5e4f3a21 0d8c7b6a-5f4e-4d3c-2b1a-098f7e6d5c4b',
    'a=rtcp-mux',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=ssrc:2739184455 cname:Zr8fQ1mW3kP7xN2d',
  ]);
}
