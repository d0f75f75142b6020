import { describe, expect, it } from 'vitest';
import { cseqOf, fromOf, toOf } from './message-fields';
import { parseMessage, type ParseResult } from './parse-message';
import { declaredLengths, mpart01Binary, tortureMessages } from './rfc4475.fixture';
import { jsSipInvite, ringingResponse, sdpOffer, sipJsRegister } from './sample-messages.fixture';
import { encodeMessage, serializeMessage } from './serialize-message';
import type { SipMessage } from './sip-message';

function parsed(text: string): SipMessage {
  const result = parseMessage(text);
  if (!result.ok) throw new Error(`parse failed: ${result.error.reason}`);
  return result.message;
}

function failure(result: ParseResult) {
  if (result.ok) throw new Error('expected a parse error');
  return result.error;
}

function snapshot(message: SipMessage) {
  const start =
    message.kind === 'request'
      ? { method: message.method, uri: message.uri }
      : { status: message.status, reason: message.reason };
  return { ...start, headers: [...message.headers.entries()], body: message.body };
}

const lines = (...all: string[]): string => all.join('\r\n');

describe('parseMessage', () => {
  it('parses a sip.js REGISTER', () => {
    const message = parsed(sipJsRegister);
    expect(message.kind).toBe('request');
    if (message.kind !== 'request') return;
    expect(message.method).toBe('REGISTER');
    expect(message.uri).toBe('sip:switchboard.example');
    expect(message.headers.get('call-id')).toBe('tnvlobbb33kdsaa10n3t');
    expect(message.headers.getAll('Allow')).toEqual([
      'ACK',
      'CANCEL',
      'INVITE',
      'MESSAGE',
      'BYE',
      'OPTIONS',
      'INFO',
      'NOTIFY',
      'REFER',
    ]);
    expect(message.headers.getAll('supported')).toEqual(['path', 'gruu', 'outbound']);
    // The Contact holds a quoted <urn:…> and must stay one value.
    expect(message.headers.getAll('contact')).toHaveLength(1);
    // Authorization has commas between its parameters but is not a list header.
    expect(message.headers.getAll('authorization')).toHaveLength(1);
    expect(message.body).toBe('');
  });

  it('parses a JsSIP INVITE with an SDP body', () => {
    const message = parsed(jsSipInvite);
    expect(message.kind === 'request' && message.method).toBe('INVITE');
    expect(message.body).toBe(sdpOffer);
    expect(message.headers.get('Content-Type')).toBe('application/sdp');
  });

  it('parses a response with a multi-word reason', () => {
    const message = parsed(ringingResponse.replace('180 Ringing', '183 Session Progress'));
    expect(message.kind === 'response' && [message.status, message.reason]).toEqual([
      183,
      'Session Progress',
    ]);
  });

  it.each([
    ['sip.js REGISTER', sipJsRegister],
    ['JsSIP INVITE', jsSipInvite],
    ['180 Ringing', ringingResponse],
  ])('round-trips a %s through serialize and parse', (_name, text) => {
    const first = parsed(text);
    const again = parsed(serializeMessage(first));
    expect(snapshot(again)).toEqual(snapshot(first));
    expect(serializeMessage(again)).toBe(serializeMessage(first));
  });

  it('serializes the sip.js REGISTER back to the same text', () => {
    const out = serializeMessage(parsed(sipJsRegister));
    expect(out).toContain('\r\nAllow: ACK, CANCEL, INVITE, MESSAGE, BYE, OPTIONS, INFO, NOTIFY, REFER\r\n');
    expect(out).toContain('\r\nSupported: path, gruu, outbound\r\n');
    expect(out).toContain('Call-ID: tnvlobbb33kdsaa10n3t\r\n');
    expect(out.endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
  });

  it('unfolds continuation lines', () => {
    const text = sipJsRegister
      .replace('Supported: path, gruu, outbound', 'Supported: path,\r\n  gruu,\r\n\toutbound')
      .replace('User-Agent: SIP.js/0.21.2', 'Subject: I know you are there,\r\n     pick up the phone');
    const message = parsed(text);
    expect(message.headers.getAll('supported')).toEqual(['path', 'gruu', 'outbound']);
    expect(message.headers.get('subject')).toBe('I know you are there, pick up the phone');
  });

  it('understands compact header names and outputs canonical names', () => {
    const text = lines(
      'INVITE sip:bob@example.com SIP/2.0',
      'v: SIP/2.0/WS a.invalid;branch=z9hG4bKcompact',
      'v: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKsecond',
      'f: <sip:alice@example.com>;tag=1',
      't: <sip:bob@example.com>',
      'i: compact-call',
      'CSEQ: 1 INVITE',
      'm: <sip:alice@a.invalid;transport=ws>',
      'k: timer, outbound',
      'c: application/sdp',
      'l: 3',
      '',
      'v=0',
    );
    const message = parsed(text);
    expect(message.headers.getAll('Via')).toEqual([
      'SIP/2.0/WS a.invalid;branch=z9hG4bKcompact',
      'SIP/2.0/UDP proxy.example.com;branch=z9hG4bKsecond',
    ]);
    expect(message.headers.get('call-ID')).toBe('compact-call');
    expect(message.headers.get('Supported')).toBe('timer');
    const out = serializeMessage(message);
    for (const name of ['Via:', 'From:', 'To:', 'Call-ID:', 'CSeq:', 'Contact:', 'Content-Type:']) {
      expect(out).toContain(`\r\n${name} `);
    }
    expect(out).toContain('Content-Length: 3\r\n\r\nv=0');
  });

  it('splits comma lists but not inside quotes or angle brackets', () => {
    const text = sipJsRegister.replace(
      /Contact: .*\r\n/,
      'Contact: "Doe, John" <sip:john@a.invalid;x=1,2>;expires=60, <sip:jd@b.invalid>;q=0.5\r\n',
    );
    const message = parsed(text);
    expect(message.headers.getAll('contact')).toEqual([
      '"Doe, John" <sip:john@a.invalid;x=1,2>;expires=60',
      '<sip:jd@b.invalid>;q=0.5',
    ]);
  });

  it('keeps multiple Via headers in order across lines and commas', () => {
    const text = ringingResponse.replace(
      /Via: .*\r\n/,
      'Via: SIP/2.0/WSS edge.example;branch=z9hG4bKa, SIP/2.0/WSS x.invalid;branch=z9hG4bKb\r\nVia: SIP/2.0/UDP c.example;branch=z9hG4bKc\r\n',
    );
    expect(
      parsed(text)
        .headers.getAll('via')
        .map((v) => v.split(';branch=')[1]),
    ).toEqual(['z9hG4bKa', 'z9hG4bKb', 'z9hG4bKc']);
  });

  it('ignores CRLFs before the start line and accepts a missing Content-Length', () => {
    const text = `\r\n\r\n${sipJsRegister.replace('Content-Length: 0\r\n', '')}`;
    expect(parsed(text).kind).toBe('request');
  });

  it('measures Content-Length in bytes, not characters', () => {
    const body = 'héllo ☎';
    const text = lines(
      'MESSAGE sip:bob@example.com SIP/2.0',
      'Via: SIP/2.0/WS a.invalid;branch=z9hG4bK1',
      'From: <sip:alice@example.com>;tag=1',
      'To: <sip:bob@example.com>',
      'Call-ID: m1',
      'CSeq: 1 MESSAGE',
      'Content-Type: text/plain',
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    );
    expect(parsed(text).body).toBe(body);
  });

  it.each([
    [
      'REGISTER sips:bob@example.com;transport=tcp?Subject=x SIP/2.0',
      'sips:bob@example.com;transport=tcp?Subject=x',
    ],
    ['REGISTER tel:+1-201-555-0123 SIP/2.0', 'tel:+1-201-555-0123'],
    ['REGISTER a1+-.:b SIP/2.0', 'a1+-.:b'],
    // Outside printable ASCII: not the common shape, but the full checks take it.
    ['REGISTER sip:bücher@example.com SIP/2.0', 'sip:bücher@example.com'],
  ])('reads the request line %s', (line, uri) => {
    const message = parsed(sipJsRegister.replace(/^[^\r\n]*/, line));
    expect(message).toMatchObject({ kind: 'request', method: 'REGISTER', uri });
  });

  describe('errors', () => {
    it('rejects a Content-Length larger than the body as truncated', () => {
      const error = failure(parseMessage(jsSipInvite.slice(0, -20)));
      expect(error.reason).toMatch(/truncated/i);
      expect(error.status).toBe(400);
      expect(error.canRespond).toBe(true);
      expect(error.request?.method).toBe('INVITE');
    });

    it('rejects a Content-Length smaller than the body on WebSocket, discards on UDP', () => {
      const text = jsSipInvite.replace(/Content-Length: \d+/, 'Content-Length: 3');
      expect(failure(parseMessage(text)).reason).toBe('Content-Length mismatch');
      const udp = parseMessage(text, { extraBodyBytes: 'discard' });
      expect(udp.ok && udp.message.body).toBe('v=0');
    });

    it.each([
      ['not a number', 'Content-Length: abc'],
      ['negative', 'Content-Length: -1'],
      ['huge', 'Content-Length: 99999999999999999999'],
    ])('rejects a Content-Length that is %s', (_name, header) => {
      const error = failure(parseMessage(sipJsRegister.replace('Content-Length: 0', header)));
      expect(error.reason).toBe('Invalid Content-Length');
      expect(error.canRespond).toBe(true);
    });

    it('can require Content-Length (stream transports)', () => {
      const text = sipJsRegister.replace('Content-Length: 0\r\n', '');
      expect(failure(parseMessage(text, { requireContentLength: true })).reason).toBe(
        'Missing Content-Length',
      );
    });

    it('reports a message cut off in its headers, answerable when enough was read', () => {
      const cut = sipJsRegister.slice(0, sipJsRegister.indexOf('Expires: 600') + 5);
      const error = failure(parseMessage(cut));
      expect(error.reason).toMatch(/truncated/i);
      expect(error.canRespond).toBe(true);
      const early = failure(parseMessage(sipJsRegister.slice(0, 80)));
      expect(early.canRespond).toBe(false);
      expect(early.request).toBeUndefined();
    });

    it('names the missing mandatory header', () => {
      const error = failure(parseMessage(sipJsRegister.replace(/Call-ID: .*\r\n/, '')));
      expect(error.reason).toBe('Missing Call-ID header');
      expect(error.canRespond).toBe(false);
    });

    it.each([
      [
        'CSeq method mismatch',
        ['CSeq: 2 REGISTER', 'CSeq: 2 INVITE'],
        'CSeq method does not match the request',
      ],
      ['bad CSeq', ['CSeq: 2 REGISTER', 'CSeq: two REGISTER'], 'Malformed CSeq header'],
      [
        'bad Via',
        ['SIP/2.0/WSS 4jg8dmoqnu8d.invalid', 'SIP/2.0 4jg8dmoqnu8d.invalid'],
        'Malformed Via header',
      ],
      ['bad From', ['From: "Alice" <sip:', 'From: "Alice <sip:'], 'Malformed From header'],
      ['two Call-IDs', ['Call-ID: tnvlobbb33kdsaa10n3t', 'Call-ID: a\r\ni: b'], 'Repeated Call-ID header'],
      ['bad header line', ['Expires: 600', 'Expires 600'], 'Malformed header line'],
      ['bad header name', ['Expires: 600', 'Exp<ires: 600'], 'Malformed header name'],
      ['bad Max-Forwards', ['Max-Forwards: 70', 'Max-Forwards: seventy'], 'Malformed Max-Forwards header'],
    ])('rejects a request with %s, answerably', (_name, [from, to], reason) => {
      const error = failure(parseMessage(sipJsRegister.replace(from ?? '', to ?? '')));
      expect(error).toMatchObject({ reason, status: 400, canRespond: true });
    });

    it('answers another SIP version with 505', () => {
      const error = failure(parseMessage(sipJsRegister.replace('SIP/2.0\r\n', 'SIP/3.0\r\n')));
      expect(error).toMatchObject({ status: 505, canRespond: true });
    });

    it.each([
      ['an empty message', ''],
      ['binary', '\u0000\u0001\u0002\u00ff\r\n\r\n'],
      ['a bad request line', 'REGISTER sip:x\r\n\r\n'],
      ['a bad status line', 'SIP/2.0 99 Nope\r\n\r\n'],
      ['a Request-URI without scheme', 'REGISTER example.com SIP/2.0\r\n\r\n'],
      ['a continuation line first', 'OPTIONS sip:x SIP/2.0\r\n  folded\r\n\r\n'],
    ])('rejects %s without being able to respond', (_name, text) => {
      expect(failure(parseMessage(text)).canRespond).toBe(false);
    });

    it.each([
      ['REGISTER <sip:bob@example.com> SIP/2.0', 'Malformed Request-URI', 400],
      ['REGISTER sip:bob"x@example.com SIP/2.0', 'Malformed Request-URI', 400],
      ['REGISTER sip:bob@example.com\u00a0 SIP/2.0', 'Malformed Request-URI', 400],
      ['REGISTER 1sip:bob SIP/2.0', 'Malformed Request-URI', 400],
      ['REGISTER sip: SIP/2.0', 'Malformed Request-URI', 400],
      ['REGISTER sip:bob@example.com  SIP/2.0', 'Malformed request line (extra spaces)', 400],
      ['REGISTER sip:bob@example.com SIP/2.0 ', 'Malformed request line (extra spaces)', 400],
      ['REG@STER sip:bob@example.com SIP/2.0', 'Malformed request line (the method is not a token)', 400],
      ['REGISTER sip:bob@example.com\u007f SIP/2.0', 'Malformed request line (control characters)', 400],
      ['REGISTER sip:bob@example.com sip/2.0', 'Malformed request line (SIP version)', 400],
      ['REGISTER sip:bob@example.com SIP/2.00', 'Unsupported SIP version', 505],
    ])('refuses the request line %j, answerably', (line, reason, status) => {
      const error = failure(parseMessage(sipJsRegister.replace(/^[^\r\n]*/, line)));
      expect(error).toMatchObject({ reason, status, canRespond: true });
    });

    it('never answers a malformed response', () => {
      const error = failure(parseMessage(ringingResponse.replace(/CSeq: .*\r\n/, '')));
      expect(error.canRespond).toBe(false);
    });
  });

  describe('limits', () => {
    it('rejects a message over the size limit with 513 before parsing', () => {
      const big = jsSipInvite + 'a'.repeat(70 * 1024);
      expect(failure(parseMessage(big))).toMatchObject({ status: 513, canRespond: false });
      expect(parseMessage(jsSipInvite, { limits: { maxMessageBytes: 100 } }).ok).toBe(false);
    });

    it('counts bytes, not characters, against the size limit', () => {
      const text = sipJsRegister + '☎'.repeat(30 * 1024);
      expect(failure(parseMessage(text)).status).toBe(513);
    });

    it('limits the number of headers', () => {
      const many = Array.from({ length: 300 }, (_, i) => `X-H${i}: ${i}`).join('\r\n');
      const text = sipJsRegister.replace('Expires: 600', many);
      expect(failure(parseMessage(text)).reason).toBe('Too many headers');
    });

    it('limits the number of list values', () => {
      const text = sipJsRegister.replace(
        'Supported: path, gruu, outbound',
        `Supported: ${'a,'.repeat(2000)}`,
      );
      expect(failure(parseMessage(text)).reason).toBe('Too many header values');
    });

    it('limits the length of a header line, folded or not', () => {
      const long = sipJsRegister.replace('Expires: 600', `Subject: ${'x'.repeat(9000)}`);
      expect(failure(parseMessage(long)).reason).toBe('Header line too long');
      const folded = sipJsRegister.replace(
        'Expires: 600',
        `Subject: x${'\r\n '.concat('y'.repeat(100)).repeat(100)}`,
      );
      expect(failure(parseMessage(folded)).reason).toBe('Header line too long');
    });
  });

  describe('RFC 4475 torture messages', () => {
    const byName = new Map(tortureMessages.map((t) => [t.name, t]));
    const torture = (name: string) => {
      const found = byName.get(name);
      if (!found) throw new Error(`no torture message ${name}`);
      return found;
    };
    const parsedTorture = (name: string) => {
      const result = parseMessage(torture(name).message);
      if (!result.ok) throw new Error(`${name}: ${result.error.reason}`);
      return result.message;
    };

    it('holds the bodies the RFC measured (the fixture is faithful)', () => {
      for (const [name, length] of Object.entries(declaredLengths)) {
        const raw = torture(name).message.toString();
        const at = raw.indexOf('\r\n\r\n');
        // dblreq and the like aside, the body is everything after the blank line.
        expect([name, Buffer.byteLength(raw.slice(at + 4))]).toEqual([name, length]);
      }
    });

    it.each(tortureMessages.map((t) => [t.name, t.section, t] as const))(
      '%s (%s) is parsed as the RFC expects',
      (_name, _section, { message, parse }) => {
        const result = parseMessage(message);
        if (parse.ok) {
          expect(result.ok ? 'ok' : result.error.reason).toBe('ok');
        } else {
          const error = failure(result);
          expect({ status: error.status, canRespond: error.canRespond }).toEqual({
            status: parse.status,
            canRespond: parse.canRespond,
          });
        }
      },
    );

    it('reads integers with leading zeros (wsinv: Max-Forwards 0068, CSeq 0009), memoised', () => {
      const message = parsedTorture('wsinv');
      expect(message.headers.get('max-forwards')).toBe('0068');
      expect(cseqOf(message)).toEqual({ seq: 9, method: 'INVITE' });
      expect(cseqOf(message)).toBe(cseqOf(message));
      expect(message.headers.getAll('via')).toHaveLength(3);
      expect(fromOf(message)?.params.get('tag')).toBe('98asjd8');
      expect(toOf(message)?.params.get('tag')).toBe('1918181833n');
      expect(message.headers.get('subject')).toBe('');
      expect(message.headers.get('unknownheaderwithunusualvalue')).toBe(';;,,;;,;');
    });

    it('takes every token character in a method and control characters in quoted-pairs (intmeth)', () => {
      const message = parsedTorture('intmeth');
      expect(message.kind === 'request' && message.method).toBe(
        "!interesting-Method0123456789_*+`.%indeed'~",
      );
      expect(toOf(message)?.displayName).toBe('BEL:\u0007 NUL:\u0000 DEL:\u007f');
      // The BOM that starts the extension header's value is part of the value.
      expect(message.headers.get("extensionHeader-!.%*+_`'~")).toBe('\uFEFF大停電');
    });

    it('refuses control characters outside quoted-pairs', () => {
      const bad = sipJsRegister.replace('User-Agent: SIP.js/0.21.2', 'User-Agent: SIP.js\u0000/0.21.2');
      expect(failure(parseMessage(bad))).toMatchObject({ status: 400, canRespond: true });
      const quoted = sipJsRegister.replace('"Alice"', '"Al\u0007ice"');
      expect(failure(parseMessage(quoted)).reason).toBe('Malformed From header (control characters)');
    });

    it('keeps a binary body as bytes, counted in bytes, and sends it back unchanged (mpart01)', () => {
      const { message } = torture('mpart01');
      const parsedBytes = parsedTorture('mpart01');
      expect(Buffer.isBuffer(parsedBytes.body)).toBe(true);
      const body = parsedBytes.body as Buffer;
      expect(body.includes(mpart01Binary)).toBe(true);
      expect(String(body.length)).toBe(parsedBytes.headers.get('content-length'));
      const wire = encodeMessage(parsedBytes);
      expect(Buffer.isBuffer(wire) && wire.subarray(wire.length - body.length).equals(body)).toBe(true);
      // Decoded as UTF-8 first (what a text frame would be), the same bytes no longer fit.
      expect(failure(parseMessage(message.toString('utf8'))).reason).toMatch(/Content-Length/);
    });

    it('gives a text body from bytes as text', () => {
      const result = parseMessage(Buffer.from(jsSipInvite));
      expect(result.ok && result.message.body).toBe(sdpOffer);
    });

    it('drops what follows Content-Length on UDP, refuses it on WebSocket (dblreq)', () => {
      const { message } = torture('dblreq');
      const udp = parseMessage(message, { extraBodyBytes: 'discard' });
      expect(udp.ok && udp.message.kind === 'request' && [udp.message.method, udp.message.body]).toEqual([
        'REGISTER',
        '',
      ]);
      expect(failure(parseMessage(message)).reason).toBe('Content-Length mismatch');
    });

    it.each([
      ['ltgtruri', 'Malformed Request-URI'],
      ['lwsruri', 'Malformed Request-URI (it contains a space)'],
      ['lwsstart', 'Malformed request line (extra spaces)'],
      ['trws', 'Malformed request line (extra spaces)'],
    ])('answers a broken request line (%s) with a reason', (name, reason) => {
      const error = failure(parseMessage(torture(name).message));
      expect(error).toMatchObject({ status: 400, reason, canRespond: true });
      expect(error.request?.headers.get('call-id')).toMatch(new RegExp(`^${name}\\.`));
    });

    it.each([
      ['space before the method', ` ${sipJsRegister}`, 'Malformed request line (space before the method)'],
      [
        'too few fields',
        sipJsRegister.replace('REGISTER sip:switchboard.example SIP/2.0', 'REGISTER sip:switchboard.example'),
        'Malformed request line (a method, a Request-URI and a SIP version are needed)',
      ],
    ])('answers a request line with %s', (_name, text, reason) => {
      expect(failure(parseMessage(text))).toMatchObject({ status: 400, reason, canRespond: true });
    });

    it('never answers an ACK, whatever is wrong with it', () => {
      const ack = torture('lwsstart')
        .message.toString()
        .replace('INVITE  sip', 'ACK  sip')
        .replace('INVITE\r\n', 'ACK\r\n');
      expect(failure(parseMessage(ack)).canRespond).toBe(false);
    });
  });
});
