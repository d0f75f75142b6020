import type { MediaSide } from '../media-bridge';
import type { BencodeInput } from './bencode';

/**
 * What rtpengine is told for an SDP going toward each side (measured with rtpengine 10.5):
 *
 * - A trunk gets plain RTP with G.711 and RFC 4733 tones only: no ICE, no DTLS, RTCP on its own
 *   port. `DTLS-reverse=passive` keeps rtpengine passive toward the browser on the other leg;
 *   without it browser-originated calls hung in the DTLS handshake (20 of 20).
 * - A browser gets what WebRTC requires: ICE, DTLS-SRTP (rtpengine passive), RTCP muxed, a mid.
 */
export const NG_FLAGS_TOWARD: Record<MediaSide, Record<string, BencodeInput>> = {
  trunk: {
    'transport-protocol': 'RTP/AVP',
    ICE: 'remove',
    DTLS: 'off',
    'DTLS-reverse': 'passive',
    SDES: ['off'],
    'rtcp-mux': ['demux'],
    replace: ['origin', 'session-connection'],
    flags: ['strip-extmap'],
    codec: { strip: ['all'], except: ['PCMU', 'PCMA', 'telephone-event'] },
  },
  browser: {
    'transport-protocol': 'UDP/TLS/RTP/SAVPF',
    ICE: 'force',
    DTLS: 'passive',
    SDES: ['off'],
    'rtcp-mux': ['offer', 'require'],
    replace: ['origin', 'session-connection'],
    flags: ['generate-mid'],
  },
};
