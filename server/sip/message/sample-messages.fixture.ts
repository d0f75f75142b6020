// Realistic messages as sip.js 0.21 and JsSIP 3.x put them on the wire.
const crlf = (lines: string[]): string => lines.join('\r\n');

export const sipJsRegister = crlf([
  'REGISTER sip:switchboard.example SIP/2.0',
  'Via: SIP/2.0/WSS 4jg8dmoqnu8d.invalid;branch=z9hG4bK1306153',
  'To: <sip:alice@switchboard.example>',
  'From: "Alice" <sip:alice@switchboard.example>;tag=k6trq4emi2',
  'CSeq: 2 REGISTER',
  'Call-ID: tnvlobbb33kdsaa10n3t',
  'Max-Forwards: 70',
  'Authorization: Digest algorithm=MD5, username="alice", realm="switchboard.example", nonce="MTcwMDAwMDAwMA.abc", uri="sip:switchboard.example", response="6629fae49393a05397450978507c4ef1", qop=auth, cnonce="1f7tfhi2clvs", nc=00000001',
  'Contact: <sip:b8ja5v3f@4jg8dmoqnu8d.invalid;transport=ws>;+sip.ice;reg-id=1;+sip.instance="<urn:uuid:6a7a6d8b-8b8c-4c4a-9c5d-0f8f6b0c2d11>";expires=600',
  'Expires: 600',
  'Allow: ACK,CANCEL,INVITE,MESSAGE,BYE,OPTIONS,INFO,NOTIFY,REFER',
  'Supported: path, gruu, outbound',
  'User-Agent: SIP.js/0.21.2',
  'Content-Length: 0',
  '',
  '',
]);

export const sdpOffer = crlf([
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=msid-semantic: WMS',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 0 8',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:8hhY',
  'a=ice-pwd:asd88fgpdd777uzjYhagZg',
  'a=fingerprint:sha-256 D1:2C:BE:AD:0C:6E:81:2D:8B:4E:1F:26:5A:43:26:B4:02:78:39:0C:D6:A2:4F:6D:86:90:36:D7:7F:97:0A:01',
  'a=setup:actpass',
  'a=mid:0',
  'a=sendrecv',
  'a=rtpmap:111 opus/48000/2',
  '',
]);

export const jsSipInvite = crlf([
  'INVITE sip:bob@switchboard.example SIP/2.0',
  'Via: SIP/2.0/WSS a2ld8r8rbt8i.invalid;branch=z9hG4bK8384412',
  'Max-Forwards: 69',
  'To: <sip:bob@switchboard.example>',
  'From: "Alice Agent" <sip:alice@switchboard.example>;tag=a3ch1fu37n',
  'Call-ID: 6gtdmrqbc9rc1mj7ghjcnk',
  'CSeq: 7417 INVITE',
  'Contact: <sip:uf0nbp4s@a2ld8r8rbt8i.invalid;transport=ws;ob>',
  'Content-Type: application/sdp',
  'Session-Expires: 90',
  'Allow: INVITE,ACK,CANCEL,BYE,UPDATE,MESSAGE,OPTIONS,REFER,INFO,NOTIFY',
  'Supported: timer,ice,replaces,outbound',
  'User-Agent: JsSIP 3.10.0',
  `Content-Length: ${Buffer.byteLength(sdpOffer)}`,
  '',
  sdpOffer,
]);

export const ringingResponse = crlf([
  'SIP/2.0 180 Ringing',
  'Via: SIP/2.0/WSS a2ld8r8rbt8i.invalid;branch=z9hG4bK8384412;received=127.0.0.1;rport=51234',
  'To: <sip:bob@switchboard.example>;tag=9fxced76sl',
  'From: "Alice Agent" <sip:alice@switchboard.example>;tag=a3ch1fu37n',
  'Call-ID: 6gtdmrqbc9rc1mj7ghjcnk',
  'CSeq: 7417 INVITE',
  'Record-Route: <sip:edge.switchboard.example;transport=ws;lr>',
  'Contact: <sip:k2j4h5@b7c8d9.invalid;transport=ws>',
  'Content-Length: 0',
  '',
  '',
]);
