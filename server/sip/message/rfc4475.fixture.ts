// The SIP torture test messages of RFC 4475, as the RFC writes them (CRLF line ends), each
// with what the RFC expects of a receiver. `edge` is what this edge answers when the message
// arrives alone in one WebSocket frame on a connection that has not signed in: the status,
// or null where it rightly stays silent (a response matching no transaction is absorbed).
// RFC 4475 ships mpart01's binary part only in its base64 archive: the bytes here are our
// own, equally binary (NULs, CRLFs, bytes that are not UTF-8).

const crlf = (lines: string[]): string => lines.join('\r\n');

/** A message without a body: the headers and the blank line. */
const head = (lines: string[]): string => `${crlf(lines)}\r\n\r\n`;

/** The RFC's usual SDP body, for the given origin and connection addresses. */
const sdp = (origin: string, connection = origin, time = '0 0'): string =>
  crlf([
    'v=0',
    `o=mhandley 29739 7272939 IN IP4 ${origin}`,
    's=-',
    `c=IN IP4 ${connection}`,
    `t=${time}`,
    'm=audio 49217 RTP/AVP 0 12',
    'm=video 3227 RTP/AVP 31',
    'a=rtpmap:31 LPC',
    '',
  ]);

export type ParseOutcome =
  | { ok: true }
  /** Refused by the parser with this status; `canRespond` when the headers allow an answer. */
  | { ok: false; status: 400 | 505; canRespond: boolean };

export interface TortureMessage {
  /** The name of the message in RFC 4475's archive. */
  name: string;
  section: string;
  message: string | Buffer;
  /** The frame it must travel in: binary when it is not UTF-8 (RFC 7118 4.1). */
  frame: 'text' | 'binary';
  /** What parseMessage makes of it with its defaults (one message per WebSocket frame). */
  parse: ParseOutcome;
  /** The edge's answer to it, unauthenticated, or null for silence. */
  edge: number | null;
  /** What RFC 4475 asks of a receiver. */
  rfc: string;
}

const valid: ParseOutcome = { ok: true };
const answered400: ParseOutcome = { ok: false, status: 400, canRespond: true };

// 3.1.1.1: folding everywhere, LWS around separators, escaped quotes, an empty Subject,
// unknown headers and parameters, integers with leading zeros.
const wsinv =
  crlf([
    'INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0',
    'TO :',
    ' sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n',
    String.raw`from   : "J Rosenberg \\\""       <sip:jdrosen@example.com>`,
    '  ;',
    '  tag = 98asjd8',
    'MaX-fOrWaRdS: 0068',
    'Call-ID: wsinv.ndaksdj@192.0.2.1',
    'Content-Length   : 150',
    'cseq: 0009',
    '  INVITE',
    'Via  : SIP  /   2.0',
    ' /UDP',
    '    192.0.2.2;branch=390skdjuw',
    's :',
    'NewFangledHeader:   newfangled value',
    ' continued newfangled value',
    'UnknownHeaderWithUnusualValue: ;;,,;;,;',
    'Content-Type: application/sdp',
    'Route:',
    ' <sip:services.example.com;lr;unknownwith=value;unknown-no-value>',
    'v:  SIP  / 2.0  / TCP     spindle.example.com   ;',
    '  branch  =   z9hG4bK9ikj8  ,',
    ' SIP  /    2.0   / UDP  192.168.255.111   ; branch=',
    ' z9hG4bK30239',
    String.raw`m:"Quoted string \"\"" <sip:jdrosen@example.com> ; newparam =`,
    '      newvalue ;',
    '  secondparam ; q = 0.33',
    '',
    '',
  ]) + sdp('192.0.2.3', '192.0.2.4');

// 3.1.1.2: every token character in the method, a tortuous Request-URI, quoted-pairs holding
// BEL, NUL and DEL, UTF-8 in a parameter and an extension header (which starts with a BOM).
const intmethMethod = "!interesting-Method0123456789_*+`.%indeed'~";
const intmeth = head([
  `${intmethMethod} sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0`,
  "Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~",
  `To: "BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007f" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>`,
  "From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%=\"работающий\";tag=_token~1'+`*%!-.",
  'Call-ID: intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{',
  `CSeq: 139122385 ${intmethMethod}`,
  'Max-Forwards: 255',
  "extensionHeader-!.%*+_`'~:\uFEFF大停電",
  'Content-Length: 0',
]);

const esc01 =
  crlf([
    'INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0',
    'To: sip:%75se%72@example.com',
    'From: <sip:I%20have%20spaces@example.net>;tag=938',
    'Max-Forwards: 87',
    'i: esc01.239409asdfakjkn23onasd0-3234',
    'CSeq: 234234 INVITE',
    'Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKkdjuw',
    'C: application/sdp',
    'Contact:',
    '  <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>',
    'Content-Length: 150',
    '',
    '',
  ]) + sdp('192.0.2.1');

const escnull = head([
  'REGISTER sip:example.com SIP/2.0',
  'To: sip:null-%00-null@example.com',
  'From: sip:null-%00-null@example.com;tag=839923423',
  'Max-Forwards: 70',
  'Call-ID: escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd',
  'CSeq: 14398234 REGISTER',
  'Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw',
  'Contact: <sip:%00@host5.example.com>',
  'Contact: <sip:%00%00@host5.example.com>',
  'L:0',
]);

const esc02 = head([
  'RE%47IST%45R sip:registrar.example.com SIP/2.0',
  'To: "%Z%45" <sip:resource@example.com>',
  'From: "%Z%45" <sip:resource@example.com>;tag=f232jadfj23',
  'Call-ID: esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf',
  'Via: SIP/2.0/TCP host.example.com;branch=z9hG4bK209%fzsnel234',
  'CSeq: 29344 RE%47IST%45R',
  'Max-Forwards: 70',
  'Contact: <sip:alias1@host1.example.com>',
  'C%6Fntact: <sip:alias2@host2.example.com>',
  'Contact: <sip:alias3@host3.example.com>',
  'l: 0',
]);

const lwsdisp = head([
  'OPTIONS sip:user@example.com SIP/2.0',
  'To: sip:user@example.com',
  'From: caller<sip:caller@example.com>;tag=323',
  'Max-Forwards: 70',
  'Call-ID: lwsdisp.1234abcd@funky.example.com',
  'CSeq: 60 OPTIONS',
  'Via: SIP/2.0/UDP funky.example.com;branch=z9hG4bKkdjuw',
  'l: 0',
]);

const long = (word: string, times: number): string => word.repeat(times);
const longreq =
  crlf([
    'INVITE sip:user@example.com SIP/2.0',
    `To: "I have a user name of ${long('extreme', 10)} proportion"<sip:user@example.com:6000;unknownparam1=very${long('long', 20)}value;longparam${long('name', 25)}=shortvalue;very${long('long', 25)}ParameterNameWithNoValue>`,
    `F: sip:${long('amazinglylongcallername', 5)}@example.net;tag=${long('12982', 1)}${long('982', 49)}424;unknownheaderparam${long('name', 20)}=unknowheaderparam${long('value', 15)};unknownValueless${long('paramname', 10)}`,
    `Call-ID: longreq.one${long('really', 20)}longcallid`,
    'CSeq: 3882340 INVITE',
    `Unknown-${long('Long', 20)}-Name: unknown-${long('long', 20)}-value; unknown-${long('long', 20)}-parameter-name = unknown-${long('long', 20)}-parameter-value`,
    'Via: SIP/2.0/TCP sip33.example.com',
    'v: SIP/2.0/TCP sip32.example.com',
    'V: SIP/2.0/TCP sip31.example.com',
    'Via: SIP/2.0/TCP sip30.example.com',
    'ViA: SIP/2.0/TCP sip29.example.com',
    'VIa: SIP/2.0/TCP sip28.example.com',
    'VIA: SIP/2.0/TCP sip27.example.com',
    'via: SIP/2.0/TCP sip26.example.com',
    'viA: SIP/2.0/TCP sip25.example.com',
    'vIa: SIP/2.0/TCP sip24.example.com',
    'vIA: SIP/2.0/TCP sip23.example.com',
    'V :  SIP/2.0/TCP sip22.example.com',
    'v :  SIP/2.0/TCP sip21.example.com',
    'V  : SIP/2.0/TCP sip20.example.com',
    'v  : SIP/2.0/TCP sip19.example.com',
    'Via : SIP/2.0/TCP sip18.example.com',
    'Via  : SIP/2.0/TCP sip17.example.com',
    ...Array.from({ length: 16 }, (_, i) => `Via: SIP/2.0/TCP sip${16 - i}.example.com`),
    `Via: SIP/2.0/TCP host.example.com;received=192.0.2.5;branch=very${long('long', 50)}branchvalue`,
    'Max-Forwards: 70',
    `Contact: <sip:${long('amazinglylongcallername', 5)}@host5.example.net>`,
    'Content-Type: application/sdp',
    'l: 150',
    '',
    '',
  ]) + sdp('192.0.2.1');

// Over UDP the INVITE after the REGISTER is noise to drop (RFC 3261 18.3); a WebSocket
// message carries exactly one SIP message (RFC 7118), so the edge refuses the frame.
const dblreq =
  head([
    'REGISTER sip:example.com SIP/2.0',
    'To: sip:j.user@example.com',
    'From: sip:j.user@example.com;tag=43251j3j324',
    'Max-Forwards: 8',
    'I: dblreq.0ha0isndaksdj99sdfafnl3lk233412',
    'Contact: sip:j.user@host.example.com',
    'CSeq: 8 REGISTER',
    'Via: SIP/2.0/UDP 192.0.2.125;branch=z9hG4bKkdjuw23492',
    'Content-Length: 0',
  ]) +
  crlf([
    'INVITE sip:joe@example.com SIP/2.0',
    't: sip:joe@example.com',
    'From: sip:caller@example.net;tag=141334',
    'Max-Forwards: 8',
    'Call-ID: dblreq.0ha0isnda977644900765@192.0.2.15',
    'CSeq: 8 INVITE',
    'Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw380234',
    'Content-Type: application/sdp',
    'Content-Length: 150',
    '',
    '',
  ]) +
  sdp('192.0.2.15').replace('m=video', 'm =video');

const semiuri = head([
  'OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0',
  'To: sip:j_user@example.com',
  'From: sip:caller@example.org;tag=33242',
  'Max-Forwards: 3',
  'Call-ID: semiuri.0ha0isndaksdj',
  'CSeq: 8 OPTIONS',
  'Accept: application/sdp, application/pkcs7-mime,',
  '        multipart/mixed, multipart/signed,',
  '        message/sip, message/sipfrag',
  'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKkdjuw',
  'l: 0',
]);

const transports = head([
  'OPTIONS sip:user@example.com SIP/2.0',
  'To: sip:user@example.com',
  'From: <sip:caller@example.com>;tag=323',
  'Max-Forwards: 70',
  'Call-ID:  transports.kijh4akdnaqjkwendsasfdj',
  'Accept: application/sdp',
  'CSeq: 60 OPTIONS',
  'Via: SIP/2.0/UDP t1.example.com;branch=z9hG4bKkdjuw',
  'Via: SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf',
  'Via: SIP/2.0/TLS t3.example.com;branch=z9hG4bK2980unddj',
  'Via: SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en',
  'Via: SIP/2.0/TCP t5.example.com;branch=z9hG4bK0a9idfnee',
  'l: 0',
]);

/** A DER-looking signature: every byte value, so NULs, CRLFs and non-UTF-8 bytes. */
export const mpart01Binary = Buffer.from([
  0x30,
  0x82,
  0x01,
  0x52,
  0x06,
  0x09,
  0x2a,
  0x86,
  0x48,
  0x86,
  0xf7,
  0x0d,
  0x01,
  0x07,
  0x02,
  ...Array.from({ length: 256 }, (_, i) => i),
]);
const mpart01Body = Buffer.concat([
  Buffer.from(
    crlf([
      '--7a9cbec02ceef655',
      'Content-Type: text/plain',
      'Content-Transfer-Encoding: binary',
      '',
      'Hello',
      '--7a9cbec02ceef655',
      'Content-Type: application/octet-stream',
      'Content-Transfer-Encoding: binary',
      '',
      '',
    ]),
  ),
  mpart01Binary,
  Buffer.from('\r\n--7a9cbec02ceef655--\r\n'),
]);
const mpart01 = Buffer.concat([
  Buffer.from(
    head([
      'MESSAGE sip:kumiko@example.org SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-;rport',
      'Max-Forwards: 70',
      'Route: <sip:127.0.0.1:5080>',
      'Identity: r5mwreLuyDRYBi/0TiPwEsY3rEVsk/G2WxhgTV1PF7hHuLIK0YWVKZhKv9Mj8UeXqkMVbnVq37CD+813gvYjcBUaZngQmXc9WNZSDNGCzA+fWl9MEUHWIZo1CeJebdY/XlgKeTa0Olvq0rt70Q5jiSfbqMJmQFteeivUhkMWYUA=',
      'Contact: <sip:fluffy@127.0.0.1:5070>',
      'To: <sip:kumiko@example.org>',
      'From: <sip:fluffy@example.com>;tag=2fb0dcc9',
      'Call-ID: 3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..',
      'CSeq: 1 MESSAGE',
      'Content-Transfer-Encoding: binary',
      'Content-Type: multipart/mixed;boundary=7a9cbec02ceef655',
      'Date: Sat, 15 Oct 2005 04:44:56 GMT',
      'User-Agent: SIPimp.org/0.2.5 (curses)',
      `Content-Length: ${mpart01Body.length}`,
    ]),
  ),
  mpart01Body,
]);

const unreason =
  crlf([
    'SIP/2.0 200 = 2**3 * 5**2 но сто девяносто девять - простое',
    'Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923',
    'Call-ID: unreason.1234ksdfak3j2erwedfsASdf',
    'CSeq: 35 INVITE',
    'From: sip:user@example.com;tag=11141343',
    'To: sip:user@example.edu;tag=2229',
    'Content-Length: 154',
    'Content-Type: application/sdp',
    'Contact: <sip:user@host198.example.com>',
    '',
    '',
  ]) + sdp('192.0.2.198');

const noreason = head([
  'SIP/2.0 100 ',
  'Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe',
  'Call-ID: noreason.asndj203insdf99223ndf',
  'CSeq: 35 INVITE',
  'From: <sip:user@example.com>;tag=39ansfi3',
  'To: <sip:user@example.edu>;tag=902jndnke3',
  'Content-Length: 0',
  'Contact: <sip:user@host105.example.com>',
]);

const badinv01 =
  crlf([
    'INVITE sip:user@example.com SIP/2.0',
    'To: sip:j.user@example.com',
    'From: sip:caller@example.net;tag=134161461246',
    'Max-Forwards: 7',
    'Call-ID: badinv01.0ha0isndaksdjasdf3234nas',
    'CSeq: 8 INVITE',
    'Via: SIP/2.0/UDP 192.0.2.15;;,;,,',
    'Contact: "Joe" <sip:joe@example.org>;;;;',
    'Content-Length: 152',
    'Content-Type: application/sdp',
    '',
    '',
  ]) + sdp('192.0.2.15');

const clerr =
  crlf([
    'INVITE sip:user@example.com SIP/2.0',
    'Max-Forwards: 80',
    'To: sip:j.user@example.com',
    'From: sip:caller@example.net;tag=93942939o2',
    'Contact: <sip:caller@hungry.example.net>',
    'Call-ID: clerr.0ha0isndaksdjweiafasdk3',
    'CSeq: 8 INVITE',
    'Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bK-39234-23523',
    'Content-Type: application/sdp',
    'Content-Length: 9999',
    '',
    '',
  ]) + sdp('192.0.2.155');

const ncl =
  crlf([
    'INVITE sip:user@example.com SIP/2.0',
    'Max-Forwards: 254',
    'To: sip:j.user@example.com',
    'From: sip:caller@example.net;tag=32394234',
    'Call-ID: ncl.0ha0isndaksdj2193423r542w35',
    'CSeq: 0 INVITE',
    'Via: SIP/2.0/UDP 192.0.2.53;branch=z9hG4bKkdjuw',
    'Contact: <sip:caller@example53.example.net>',
    'Content-Type: application/sdp',
    'Content-Length: -999',
    '',
    '',
  ]) + sdp('192.0.2.53');

const scalar02 = head([
  'REGISTER sip:example.com SIP/2.0',
  'Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bK342sdfoi3',
  'To: <sip:user@example.com>',
  'From: <sip:user@example.com>;tag=239232jh3',
  'CSeq: 36893488147419103232 REGISTER',
  'Call-ID: scalar02.23o0pd9vanlq3wnrlnewofjas9ui32',
  'Max-Forwards: 300',
  `Expires: 1${'0'.repeat(100)}`,
  'Contact: <sip:user@host129.example.com>',
  '  ;expires=280297596632815',
  'Content-Length: 0',
]);

const scalarlg = head([
  'SIP/2.0 503 Service Unavailable',
  'Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKzzxdiwo34sw;received=192.0.2.129',
  'To: <sip:user@example.com>',
  'From: <sip:other@example.net>;tag=2easdjfejw',
  'CSeq: 9292394834772304023312 OPTIONS',
  'Call-ID: scalarlg.noase0of0234hn2qofoaf0232aewf2394r',
  'Retry-After: 949302838503028349304023988',
  'Warning: 1812 overture "In Progress"',
  'Content-Length: 0',
]);

const quotbal =
  crlf([
    'INVITE sip:user@example.com SIP/2.0',
    'To: "Mr. J. User <sip:j.user@example.com>',
    'From: sip:caller@example.net;tag=93334',
    'Max-Forwards: 10',
    'Call-ID: quotbal.aksdj',
    'Contact: <sip:caller@host59.example.net>',
    'CSeq: 8 INVITE',
    'Via: SIP/2.0/UDP 192.0.2.59:5050;branch=z9hG4bKkdjuw39234',
    'Content-Type: application/sdp',
    'Content-Length: 152',
    '',
    '',
  ]) + sdp('192.0.2.15');

const ltgtruri =
  crlf([
    'INVITE <sip:user@example.com> SIP/2.0',
    'To: sip:user@example.com',
    'From: sip:caller@example.net;tag=39291',
    'Max-Forwards: 23',
    'Call-ID: ltgtruri.1@192.0.2.5',
    'CSeq: 1 INVITE',
    'Via: SIP/2.0/UDP 192.0.2.5',
    'Contact: <sip:caller@host5.example.net>',
    'Content-Type: application/sdp',
    'Content-Length: 159',
    '',
    '',
  ]) + sdp('192.0.2.5', '192.0.2.5', '3149328700 0');

const lwsruri =
  crlf([
    'INVITE sip:user@example.com; lr SIP/2.0',
    'To: sip:user@example.com;tag=3xfe-9921883-z9f',
    'From: sip:caller@example.net;tag=231413434',
    'Max-Forwards: 5',
    'Call-ID: lwsruri.asdfasdoeoi2323-asdfwrn23-asd834rk423',
    'CSeq: 2130706432 INVITE',
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKkdjuw2395',
    'Contact: <sip:caller@host1.example.net>',
    'Content-Type: application/sdp',
    'Content-Length: 159',
    '',
    '',
  ]) + sdp('192.0.2.1', '192.0.2.1', '3149328700 0');

const lwsstart =
  crlf([
    'INVITE  sip:user@example.com  SIP/2.0',
    'Max-Forwards: 8',
    'To: sip:user@example.com',
    'From: sip:caller@example.net;tag=8814',
    'Call-ID: lwsstart.dfknq234oi243099adsdfnawe3@example.com',
    'CSeq: 1893884 INVITE',
    'Via: SIP/2.0/UDP host1.example.com;branch=z9hG4bKkdjuw3923',
    'Contact: <sip:caller@host1.example.net>',
    'Content-Type: application/sdp',
    'Content-Length: 150',
    '',
    '',
  ]) + sdp('192.0.2.1');

const trws = head([
  'OPTIONS sip:remote-target@example.com SIP/2.0  ',
  'Via: SIP/2.0/TCP host1.examle.com;branch=z9hG4bK299342093',
  'To: <sip:remote-target@example.com>',
  'From: <sip:local-resource@example.com>;tag=329429089',
  'Call-ID: trws.oicu34958239neffasdhr2345r',
  'Accept: application/sdp',
  'CSeq: 238923 OPTIONS',
  'Max-Forwards: 70',
  'Content-Length: 0',
]);

const escruri =
  crlf([
    'INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0',
    'To: sip:user@example.com',
    'From: sip:caller@example.net;tag=341518',
    'Max-Forwards: 7',
    'Contact: <sip:caller@host39923.example.net>',
    'Call-ID: escruri.23940-asdfhj-aje3br-234q098w-fawerh2q-h4n5',
    'CSeq: 149209342 INVITE',
    'Via: SIP/2.0/UDP host-of-the-hour.example.com;branch=z9hG4bKkdjuw',
    'Content-Type: application/sdp',
    'Content-Length: 150',
    '',
    '',
  ]) + sdp('192.0.2.1');

const baddate =
  crlf([
    'INVITE sip:user@example.com SIP/2.0',
    'To: sip:user@example.com',
    'From: sip:caller@example.net;tag=2234923',
    'Max-Forwards: 70',
    'Call-ID: baddate.239423mnsadf3j23lj42--sedfnm234',
    'CSeq: 1392934 INVITE',
    'Via: SIP/2.0/UDP host.example.com;branch=z9hG4bKkdjuw',
    'Date: Fri, 01 Jan 2010 16:00:00 EST',
    'Contact: <sip:caller@host5.example.net>',
    'Content-Type: application/sdp',
    'Content-Length: 150',
    '',
    '',
  ]) + sdp('192.0.2.5');

const regbadct = head([
  'REGISTER sip:example.com SIP/2.0',
  'To: sip:user@example.com',
  'From: sip:user@example.com;tag=998332',
  'Max-Forwards: 70',
  'Call-ID: regbadct.k345asrl3fdbv@10.0.0.1',
  'CSeq: 1 REGISTER',
  'Via: SIP/2.0/UDP 135.180.130.133:5060;branch=z9hG4bKkdjuw',
  'Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E',
  'l: 0',
]);

const badaspec = head([
  'OPTIONS sip:user@example.org SIP/2.0',
  'Via: SIP/2.0/UDP host4.example.com:5060;branch=z9hG4bKkdju43234',
  'Max-Forwards: 70',
  'From: "Bell, Alexander" <sip:a.g.bell@example.com>;tag=433423',
  'To: "Watson, Thomas" < sip:t.watson@example.org >',
  'Call-ID: badaspec.sdf0234n2nds0a099u23h3hnnw009cdkne3',
  'Accept: application/sdp',
  'CSeq: 3923239 OPTIONS',
  'l: 0',
]);

const baddn = head([
  'OPTIONS sip:t.watson@example.org SIP/2.0',
  'Via:     SIP/2.0/UDP c.example.com:5060;branch=z9hG4bKkdjuw',
  'Max-Forwards:      70',
  'From:    Bell, Alexander <sip:a.g.bell@example.com>;tag=43',
  'To:      Watson, Thomas <sip:t.watson@example.org>',
  'Call-ID: baddn.31415@c.example.com',
  'Accept: application/sdp',
  'CSeq:    3923239 OPTIONS',
  'l: 0',
]);

const badvers = head([
  'OPTIONS sip:t.watson@example.org SIP/7.0',
  'Via:     SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw',
  'Max-Forwards:     70',
  'From:    A. Bell <sip:a.g.bell@example.com>;tag=qweoiqpe',
  'To:      T. Watson <sip:t.watson@example.org>',
  'Call-ID: badvers.31417@c.example.com',
  'CSeq:    1 OPTIONS',
  'l: 0',
]);

const mismatch01 = head([
  'OPTIONS sip:user@example.com SIP/2.0',
  'To: sip:j.user@example.com',
  'From: sip:caller@example.net;tag=34525',
  'Max-Forwards: 6',
  'Call-ID: mismatch01.dj0234sxdfl3',
  'CSeq: 8 INVITE',
  'Via: SIP/2.0/UDP host.example.com;branch=z9hG4bKkdjuw',
  'l: 0',
]);

const mismatch02 = crlf([
  'NEWMETHOD sip:user@example.com SIP/2.0',
  'To: sip:j.user@example.com',
  'From: sip:caller@example.net;tag=34525',
  'Max-Forwards: 6',
  'Call-ID: mismatch02.dj0234sxdfl3',
  'CSeq: 8 INVITE',
  'Contact: <sip:caller@host.example.net>',
  'Via: SIP/2.0/UDP host.example.net;branch=z9hG4bKkdjuw',
  'Content-Type: application/sdp',
  'l: 138',
  '',
  'v=0',
  'o=mhandley 29739 7272939 IN IP4 192.0.2.1',
  'c=IN IP4 192.0.2.1',
  'm=audio 49217 RTP/AVP 0 12',
  'm=video 3227 RTP/AVP 31',
  'a=rtpmap:31 LPC',
  '',
]);

const bigcode = head([
  'SIP/2.0 4294967301 better not break the receiver',
  'Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe',
  'Call-ID: bigcode.asdof3uj203asdnf3429uasdhfas3ehjasdfas9i',
  'CSeq: 353494 INVITE',
  'From: <sip:user@example.com>;tag=39ansfi3',
  'To: <sip:user@example.edu>;tag=902jndnke3',
  'Content-Length: 0',
  'Contact: <sip:user@host105.example.com>',
]);

const badbranch = head([
  'OPTIONS sip:user@example.com SIP/2.0',
  'To: sip:user@example.com',
  'From: sip:caller@example.org;tag=33242',
  'Max-Forwards: 3',
  'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK',
  'Accept: application/sdp',
  'Call-ID: badbranch.sadonfo23i420jv0as0derf3j3n',
  'CSeq: 8 OPTIONS',
  'l: 0',
]);

const insuf =
  crlf([
    'INVITE sip:user@example.com SIP/2.0',
    'CSeq: 193942 INVITE',
    'Via: SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf',
    'Content-Type: application/sdp',
    'l: 152',
    '',
    '',
  ]) + sdp('192.0.2.95');

const unkscm = head([
  'OPTIONS nobodyKnowsThisScheme:totallyopaquecontent SIP/2.0',
  'To: sip:user@example.com',
  'From: sip:caller@example.net;tag=384',
  'Max-Forwards: 3',
  'Call-ID: unkscm.nasdfasser0q239nwsdfasdkl34',
  'CSeq: 3923423 OPTIONS',
  'Via: SIP/2.0/TCP host9.example.com;branch=z9hG4bKkdjuw39234',
  'Content-Length: 0',
]);

const novelsc = head([
  'OPTIONS soap.beep://192.0.2.103:3002 SIP/2.0',
  'To: sip:user@example.com',
  'From: sip:caller@example.net;tag=384',
  'Max-Forwards: 3',
  'Call-ID: novelsc.asdfasser0q239nwsdfasdkl34',
  'CSeq: 3923423 OPTIONS',
  'Via: SIP/2.0/TCP host9.example.com;branch=z9hG4bKkdjuw39234',
  'Content-Length: 0',
]);

const unksm2 = head([
  'REGISTER sip:example.com SIP/2.0',
  'To: isbn:2983792873',
  'From: <http://www.example.com>;tag=3234233',
  'Call-ID: unksm2.daksdj@hyphenated-host.example.com',
  'CSeq: 234902 REGISTER',
  'Max-Forwards: 70',
  'Via: SIP/2.0/UDP 192.0.2.21:5060;branch=z9hG4bKkdjuw',
  'Contact: <name:John_Smith>',
  'l: 0',
]);

const bext01 = head([
  'OPTIONS sip:user@example.com SIP/2.0',
  'To: sip:j_user@example.com',
  'From: sip:caller@example.net;tag=242etr',
  'Max-Forwards: 6',
  'Call-ID: bext01.0ha0isndaksdj',
  'Require: nothingSupportsThis, nothingSupportsThisEither',
  'Proxy-Require: noProxiesSupportThis, norDoAnyProxiesSupportThis',
  'CSeq: 8 OPTIONS',
  'Via: SIP/2.0/TLS fold-and-staple.example.com;branch=z9hG4bKkdjuw',
  'Content-Length: 0',
]);

const invut = head([
  'INVITE sip:user@example.com SIP/2.0',
  'Contact: <sip:caller@host5.example.net>',
  'To: sip:j.user@example.com',
  'From: sip:caller@example.net;tag=8392034',
  'Max-Forwards: 70',
  'Call-ID: invut.0ha0isndaksdjadsfij34n23d',
  'CSeq: 235448 INVITE',
  'Via: SIP/2.0/UDP somehost.example.com;branch=z9hG4bKkdjuw',
  'Content-Type: application/unknownformat',
  'Content-Length: 40',
]).concat(crlf(['<audio>', ' <pcmu port="443"/>', '</audio>', '']));

const regaut01 = head([
  'REGISTER sip:example.com SIP/2.0',
  'To: sip:j.user@example.com',
  'From: sip:j.user@example.com;tag=87321hj23128',
  'Max-Forwards: 8',
  'Call-ID: regaut01.0ha0isndaksdj',
  'CSeq: 9338 REGISTER',
  'Via: SIP/2.0/TCP 192.0.2.253;branch=z9hG4bKkdjuw',
  'Authorization: NoOneKnowsThisScheme opaque-data=here',
  'Content-Length:0',
]);

const multi01 =
  crlf([
    'INVITE sip:user@company.com SIP/2.0',
    'Contact: <sip:caller@host25.example.net>',
    'Via: SIP/2.0/UDP 192.0.2.25;branch=z9hG4bKkdjuw',
    'Max-Forwards: 70',
    'CSeq: 5 INVITE',
    'Call-ID: multi01.98asdh@192.0.2.1',
    'CSeq: 59 INVITE',
    'Call-ID: multi01.98asdh@192.0.2.2',
    'From: sip:caller@example.com;tag=3413415',
    'To: sip:user@example.com',
    'To: sip:other@example.net',
    'From: sip:caller@example.net;tag=2923420123',
    'Content-Type: application/sdp',
    'l: 154',
    'Contact: <sip:caller@host36.example.net>',
    'Max-Forwards: 5',
    '',
    '',
  ]) +
  sdp('192.0.2.25') +
  '\r\n';

const mcl01 = crlf([
  'OPTIONS sip:user@example.com SIP/2.0',
  'Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bK293423',
  'To: sip:user@example.com',
  'From: sip:other@example.net;tag=3923942',
  'Call-ID: mcl01.fhn2323orihawfdoa3o4r52o3irsdf',
  'CSeq: 15932 OPTIONS',
  'Content-Length: 13',
  'Max-Forwards: 60',
  'Content-Length: 5',
  'Content-Type: text/plain',
  '',
  "There's no way to know how many octets are supposed to be here.",
  '',
]);

const bcast =
  crlf([
    'SIP/2.0 200 OK',
    'Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923',
    'Via: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1saber23',
    'Call-ID: bcast.0384840201234ksdfak3j2erwedfsASdf',
    'CSeq: 35 INVITE',
    'From: sip:user@example.com;tag=11141343',
    'To: sip:user@example.edu;tag=2229',
    'Content-Length: 154',
    'Content-Type: application/sdp',
    'Contact: <sip:user@host28.example.com>',
    '',
    '',
  ]) + sdp('192.0.2.198');

const zeromf = head([
  'OPTIONS sip:user@example.com SIP/2.0',
  'To: sip:user@example.com',
  'From: sip:caller@example.net;tag=3ghsd41',
  'Call-ID: zeromf.jfasdlfnm2o2l43r5u0asdfas',
  'CSeq: 39234321 OPTIONS',
  'Via: SIP/2.0/UDP host1.example.com;branch=z9hG4bKkdjuw2349i',
  'Max-Forwards: 0',
  'Content-Length: 0',
]);

const cparam01 = head([
  'REGISTER sip:example.com SIP/2.0',
  'Via: SIP/2.0/UDP saturn.example.com:5060;branch=z9hG4bKkdjuw',
  'Max-Forwards: 70',
  'From: sip:watson@example.com;tag=DkfVgjkrtMwaerKKpe',
  'To: sip:watson@example.com',
  'Call-ID: cparam01.70710@saturn.example.com',
  'CSeq: 2 REGISTER',
  'Contact: sip:+19725552222@gw1.example.net;unknownparam',
  'l: 0',
]);

const cparam02 = head([
  'REGISTER sip:example.com SIP/2.0',
  'Via: SIP/2.0/UDP saturn.example.com:5060;branch=z9hG4bKkdjuw',
  'Max-Forwards: 70',
  'From: sip:watson@example.com;tag=838293',
  'To: sip:watson@example.com',
  'Call-ID: cparam02.70710@saturn.example.com',
  'CSeq: 3 REGISTER',
  'Contact: <sip:+19725552222@gw1.example.net;unknownparam>',
  'l: 0',
]);

const regescrt = head([
  'REGISTER sip:example.com SIP/2.0',
  'To: sip:user@example.com',
  'From: sip:user@example.com;tag=8',
  'Max-Forwards: 70',
  'Call-ID: regescrt.k345asrl3fdbv@192.0.2.1',
  'CSeq: 14398234 REGISTER',
  'Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw',
  'M: <sip:user@example.com?Route=%3Csip:sip.example.com%3E>',
  'L:0',
]);

const sdp01 =
  crlf([
    'INVITE sip:user@example.com SIP/2.0',
    'To: sip:j_user@example.com',
    'Contact: <sip:caller@host15.example.net>',
    'From: sip:caller@example.net;tag=234',
    'Max-Forwards: 5',
    'Call-ID: sdp01.ndaksdj9342dasdd',
    'Accept: text/nobodyKnowsThis',
    'CSeq: 8 INVITE',
    'Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw',
    'Content-Length: 150',
    'Content-Type: application/sdp',
    '',
    '',
  ]) + sdp('192.0.2.5');

// RFC 2543 style: no branch, no From tag, no Max-Forwards, no Content-Length.
const inv2543 = crlf([
  'INVITE sip:UserB@example.com SIP/2.0',
  'Via: SIP/2.0/UDP iftgw.example.com',
  'From: <sip:+13035551111@ift.client.example.net;user=phone>',
  'Record-Route: <sip:UserB@example.com;maddr=ss1.example.com>',
  'To: sip:+16505552222@ss1.example.net;user=phone',
  'Call-ID: inv2543.1717@ift.client.example.com',
  'CSeq: 56 INVITE',
  'Content-Type: application/sdp',
  '',
  'v=0',
  'o=mhandley 29739 7272939 IN IP4 192.0.2.5',
  's=-',
  'c=IN IP4 192.0.2.5',
  't=0 0',
  'm=audio 49217 RTP/AVP 0',
  '',
]);

const text = (
  name: string,
  section: string,
  message: string,
  parse: ParseOutcome,
  edge: number | null,
  rfc: string,
): TortureMessage => ({ name, section, message, frame: 'text', parse, edge, rfc });

export const tortureMessages: TortureMessage[] = [
  // 3.1.1 Valid messages: a parser must accept them.
  text(
    'wsinv',
    '3.1.1.1',
    wsinv,
    valid,
    481,
    'well formed; its To has a tag: a re-INVITE, here for no known dialog',
  ),
  text('intmeth', '3.1.1.2', intmeth, valid, 501, 'well formed; an unknown method (501 from an endpoint)'),
  text('esc01', '3.1.1.3', esc01, valid, 407, 'well formed; %-escapes decoded in SIP URIs only'),
  text('escnull', '3.1.1.4', escnull, valid, 401, 'well formed; a NUL in the user part does not cut it'),
  text('esc02', '3.1.1.5', esc02, valid, 501, 'well formed; RE%47IST%45R is an unknown method'),
  text('lwsdisp', '3.1.1.6', lwsdisp, valid, 407, 'accepted: no space between display name and <'),
  text('longreq', '3.1.1.7', longreq, valid, 407, 'well formed; long values, 34 Vias'),
  text(
    'dblreq',
    '3.1.1.8',
    dblreq,
    answered400,
    400,
    'valid over UDP, the extra bytes dropped (RFC 3261 18.3); a WebSocket message holds one SIP message (RFC 7118)',
  ),
  text('semiuri', '3.1.1.9', semiuri, valid, 407, 'well formed; the user part is user;par=u@example.net'),
  text('transports', '3.1.1.10', transports, valid, 407, 'well formed; unknown transports in Via'),
  {
    name: 'mpart01',
    section: '3.1.1.11',
    message: mpart01,
    frame: 'binary',
    parse: valid,
    edge: 407,
    rfc: 'well formed; the binary body part is framed by Content-Length in bytes',
  },
  text('unreason', '3.1.1.12', unreason, valid, null, 'well formed; a UTF-8 reason phrase'),
  text('noreason', '3.1.1.13', noreason, valid, null, 'well formed; an empty reason phrase'),
  // 3.1.2 Invalid messages.
  text('badinv01', '3.1.2.1', badinv01, answered400, 400, '400: empty Via and Contact parameters'),
  text('clerr', '3.1.2.2', clerr, answered400, 400, '400 on a message transport: Content-Length too large'),
  text('ncl', '3.1.2.3', ncl, answered400, 400, 'an error: negative Content-Length'),
  text('scalar02', '3.1.2.4', scalar02, answered400, 400, '400 for the CSeq above 2**32-1'),
  text(
    'scalarlg',
    '3.1.2.5',
    scalarlg,
    { ok: false, status: 400, canRespond: false },
    null,
    'a response: discarded',
  ),
  text('quotbal', '3.1.2.6', quotbal, answered400, 400, '400: unterminated quoted string'),
  text('ltgtruri', '3.1.2.7', ltgtruri, answered400, 400, '400: Request-URI in <>'),
  text('lwsruri', '3.1.2.8', lwsruri, answered400, 400, '400: space inside the Request-URI'),
  text('lwsstart', '3.1.2.9', lwsstart, answered400, 400, 'may be refused: extra spaces in the request line'),
  text('trws', '3.1.2.10', trws, answered400, 400, 'may be refused: spaces after the SIP version'),
  text('escruri', '3.1.2.11', escruri, valid, 400, 'may be refused with 400: headers in the Request-URI'),
  text(
    'baddate',
    '3.1.2.12',
    baddate,
    valid,
    407,
    'may be accepted when Date does not matter (it does not here)',
  ),
  text('regbadct', '3.1.2.13', regbadct, valid, 401, 'may be accepted: no ambiguity without <>'),
  text('badaspec', '3.1.2.14', badaspec, valid, 407, 'may be accepted: spaces around the To URI ignored'),
  text('baddn', '3.1.2.15', baddn, answered400, 400, '400: unquoted display name with a comma'),
  text('badvers', '3.1.2.16', badvers, { ok: false, status: 505, canRespond: true }, 505, '505'),
  text('mismatch01', '3.1.2.17', mismatch01, answered400, 400, '400: CSeq method differs from the request'),
  text('mismatch02', '3.1.2.18', mismatch02, answered400, 400, '501 or 400: unknown method, CSeq differs'),
  text(
    'bigcode',
    '3.1.2.19',
    bigcode,
    { ok: false, status: 400, canRespond: false },
    null,
    'a response: dropped',
  ),
  // 3.2 Transaction layer.
  text('badbranch', '3.2.1', badbranch, valid, 407, 'parsed; may fall back to RFC 2543 matching'),
  // 3.3 Application layer.
  text(
    'insuf',
    '3.3.1',
    insuf,
    { ok: false, status: 400, canRespond: false },
    null,
    'must not break; ideally 400 (nothing to address it with: no From, To or Call-ID)',
  ),
  text('unkscm', '3.3.2', unkscm, valid, 416, '416 Unsupported URI Scheme'),
  text('novelsc', '3.3.3', novelsc, valid, 416, '416 Unsupported URI Scheme'),
  text('unksm2', '3.3.4', unksm2, valid, 400, 'a registrar answers 400: the To is no SIP AOR'),
  text('bext01', '3.3.5', bext01, valid, 420, '420 with the Proxy-Require tags in Unsupported'),
  text('invut', '3.3.6', invut, valid, 407, 'proxied (415 is for the UAS)'),
  text('regaut01', '3.3.7', regaut01, valid, 401, '401: unknown authorization scheme'),
  text('multi01', '3.3.8', multi01, answered400, 400, '400: several CSeq, Call-ID, From, To'),
  text('mcl01', '3.3.9', mcl01, answered400, 400, '400: two different Content-Lengths'),
  text('bcast', '3.3.10', bcast, valid, null, 'a response: dropped'),
  text('zeromf', '3.3.11', zeromf, valid, 407, 'OPTIONS with Max-Forwards 0: answered by the edge as a UAS'),
  text('cparam01', '3.3.12', cparam01, valid, 401, 'well formed; unknownparam is a Contact parameter'),
  text('cparam02', '3.3.13', cparam02, valid, 401, 'well formed; unknownparam is a URI parameter'),
  text('regescrt', '3.3.14', regescrt, valid, 401, 'well formed; a Contact URI with an escaped header'),
  text('sdp01', '3.3.15', sdp01, valid, 407, 'proxied (406 is for the UAS)'),
  // 3.4 Backward compatibility.
  text('inv2543', '3.4.1', inv2543, valid, 407, 'accepted for RFC 2543 compatibility'),
];

/** The Content-Length each valid message declares, as the RFC prints it, for a sanity check. */
export const declaredLengths: Record<string, number> = {
  wsinv: 150,
  esc01: 150,
  longreq: 150,
  unreason: 154,
  badinv01: 152,
  quotbal: 152,
  ltgtruri: 159,
  lwsruri: 159,
  lwsstart: 150,
  escruri: 150,
  baddate: 150,
  mismatch02: 138,
  multi01: 154,
  insuf: 152,
  bcast: 154,
  sdp01: 150,
  invut: 40,
};
