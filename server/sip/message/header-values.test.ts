import { describe, expect, it } from 'vitest';
import { formatAuthHeader, parseAuthHeader } from './auth-header';
import { formatCSeq, parseCSeq } from './cseq';
import { formatNameAddr, parseNameAddr, tagOf } from './name-addr';
import { formatVia, hasMagicCookie, parseVia, viaBranch, viaReceived, viaRport, viaSentBy } from './via';

describe('parseNameAddr', () => {
  it('parses a quoted display name, URI and tag', () => {
    const addr = parseNameAddr('"Alice \\"A\\" Agent" <sip:alice@example.com;transport=ws>;tag=k6trq4emi2');
    expect(addr).toMatchObject({
      displayName: 'Alice "A" Agent',
      uri: 'sip:alice@example.com;transport=ws',
    });
    expect(addr && tagOf(addr)).toBe('k6trq4emi2');
  });

  it('parses token display names and the addr-spec form', () => {
    expect(parseNameAddr('Alice Agent <sip:alice@example.com>')?.displayName).toBe('Alice Agent');
    const bare = parseNameAddr('sip:alice@example.com;tag=xyz');
    expect(bare).toMatchObject({ displayName: null, uri: 'sip:alice@example.com' });
    expect(bare && tagOf(bare)).toBe('xyz');
  });

  it('keeps quoted header params such as +sip.instance', () => {
    const addr = parseNameAddr(
      '<sip:b8ja5v3f@4jg8dmoqnu8d.invalid;transport=ws>;+sip.ice;reg-id=1;+sip.instance="<urn:uuid:6a7a>";expires=600',
    );
    expect(addr?.params.get('+sip.instance')).toBe('"<urn:uuid:6a7a>"');
    expect(addr?.params.get('+sip.ice')).toBeNull();
    expect(addr?.params.get('expires')).toBe('600');
  });

  it.each([
    '',
    '<sip:alice@example.com',
    '"Alice <sip:a@b>',
    'Al"ice <sip:a@b>',
    '<>',
    'alice',
    '<sip:a@b> junk',
  ])('rejects %j', (text) => {
    expect(parseNameAddr(text)).toBeNull();
  });

  it('formats, quoting display names that are not tokens', () => {
    const addr = parseNameAddr('"Doe, John" <sip:john@example.com>;tag=1');
    expect(addr && formatNameAddr(addr)).toBe('"Doe, John" <sip:john@example.com>;tag=1');
    const plain = parseNameAddr('sip:john@example.com');
    expect(plain && formatNameAddr(plain)).toBe('<sip:john@example.com>');
  });
});

describe('parseVia', () => {
  it('parses protocol, sent-by and the RFC 3581 parameters', () => {
    const via = parseVia(
      'SIP/2.0/WSS a2ld8r8rbt8i.invalid;branch=z9hG4bK8384412;received=127.0.0.1;rport=51234',
    );
    expect(via).toMatchObject({
      protocolName: 'SIP',
      protocolVersion: '2.0',
      transport: 'WSS',
      host: 'a2ld8r8rbt8i.invalid',
      port: null,
    });
    if (!via) return;
    expect(viaBranch(via)).toBe('z9hG4bK8384412');
    expect(hasMagicCookie(viaBranch(via))).toBe(true);
    expect(viaReceived(via)).toBe('127.0.0.1');
    expect(viaRport(via)).toBe(51234);
    expect(viaSentBy(via)).toBe('a2ld8r8rbt8i.invalid:443');
  });

  it('accepts whitespace around the slashes and an empty rport', () => {
    const via = parseVia('SIP / 2.0 / udp 192.0.2.1:5060 ;rport;branch=z9hG4bKx');
    expect(via?.transport).toBe('UDP');
    expect(via && viaRport(via)).toBe(true);
    expect(via && viaSentBy(via)).toBe('192.0.2.1:5060');
    expect(via && formatVia(via)).toBe('SIP/2.0/UDP 192.0.2.1:5060;rport;branch=z9hG4bKx');
  });

  it('handles IPv6 sent-by', () => {
    expect(parseVia('SIP/2.0/TCP [2001:db8::9]:5070;branch=z9hG4bKy')).toMatchObject({
      host: '[2001:db8::9]',
      port: 5070,
    });
  });

  it.each([
    '',
    'SIP/2.0 host',
    'SIP/2.0/WS',
    'SIP/2.0/WS host:port',
    'SIP/2.0/WS ho st',
    'SIP/2.0/WS host;=x',
  ])('rejects %j', (text) => {
    expect(parseVia(text)).toBeNull();
  });

  it('tells RFC 2543 branches apart', () => {
    expect(hasMagicCookie('1234')).toBe(false);
    expect(hasMagicCookie(null)).toBe(false);
  });
});

describe('parseCSeq', () => {
  it('parses and formats', () => {
    expect(parseCSeq('  7417   INVITE ')).toEqual({ seq: 7417, method: 'INVITE' });
    expect(formatCSeq({ seq: 1, method: 'ACK' })).toBe('1 ACK');
  });

  it.each(['1', 'INVITE', '-1 INVITE', '2147483648 INVITE', '1 INV<ITE', '1 INVITE x'])(
    'rejects %j',
    (text) => {
      expect(parseCSeq(text)).toBeNull();
    },
  );
});

describe('parseAuthHeader', () => {
  it('parses a sip.js Authorization header', () => {
    const header = parseAuthHeader(
      'Digest algorithm=MD5, username="alice", realm="example.com", nonce="abc", uri="sip:example.com", response="6629fae49393a05397450978507c4ef1", qop=auth, cnonce="1f7tfhi2clvs", nc=00000001',
    );
    expect(header?.scheme).toBe('Digest');
    expect(Object.fromEntries(header?.params ?? [])).toEqual({
      algorithm: 'MD5',
      username: 'alice',
      realm: 'example.com',
      nonce: 'abc',
      uri: 'sip:example.com',
      response: '6629fae49393a05397450978507c4ef1',
      qop: 'auth',
      cnonce: '1f7tfhi2clvs',
      nc: '00000001',
    });
  });

  it('keeps commas and escapes inside quoted values', () => {
    const header = parseAuthHeader('Digest realm="a, \\"b\\"",qop="auth,auth-int"');
    expect(header?.params.get('realm')).toBe('a, "b"');
    expect(header?.params.get('qop')).toBe('auth,auth-int');
  });

  it.each([
    '',
    'Digest realm',
    'Digest realm="x", realm="y"',
    'Digest ="x"',
    'Digest realm="x',
    'Dig<est realm=x',
  ])('rejects %j', (text) => {
    expect(parseAuthHeader(text)).toBeNull();
  });

  it('formats with quoting where asked', () => {
    expect(
      formatAuthHeader('Digest', [
        { name: 'realm', value: 'a"b', quoted: true },
        { name: 'algorithm', value: 'MD5', quoted: false },
      ]),
    ).toBe('Digest realm="a\\"b", algorithm=MD5');
  });
});
