import { describe, expect, it } from 'vitest';
import { bdecode, bencode, BencodeError } from './bencode';

const text = (value: Parameters<typeof bencode>[0]) => bencode(value).toString('utf8');

describe('bencode', () => {
  it('writes strings by byte length, integers, lists and sorted dictionaries', () => {
    expect(text('spam')).toBe('4:spam');
    expect(text('')).toBe('0:');
    expect(text('é')).toBe('2:é');
    expect(text(42)).toBe('i42e');
    expect(text(-3)).toBe('i-3e');
    expect(text(0)).toBe('i0e');
    expect(text(['a', 1, []])).toBe('l1:ai1elee');
    expect(text({ 'call-id': 'x', command: 'ping', flags: ['a'], skipped: undefined })).toBe(
      'd7:call-id1:x7:command4:ping5:flagsl1:aee',
    );
    expect(() => bencode(1.5)).toThrow(BencodeError);
  });

  it('reads what it writes, with SDP line breaks and UTF-8 intact', () => {
    const message = {
      command: 'offer',
      sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=Café\r\n',
      codec: { strip: ['all'], except: ['PCMU', 'PCMA', 'telephone-event'] },
      n: -17,
      nested: [[['deep']]],
    };
    expect(bdecode(bencode(message))).toEqual(message);
  });

  it('reads an rtpengine answer', () => {
    expect(bdecode(Buffer.from('d6:result4:ponge'))).toEqual({ result: 'pong' });
    expect(bdecode(Buffer.from('d12:error-reason17:Call-ID not found6:result5:errore'))).toEqual({
      result: 'error',
      'error-reason': 'Call-ID not found',
    });
  });

  it('keeps a "__proto__" key as a plain entry', () => {
    const decoded = bdecode(Buffer.from('d9:__proto__d1:ai1eee')) as Record<string, unknown>;
    expect(Object.keys(decoded)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });

  it('refuses malformed bytes with a sentence saying where', () => {
    const cases: [string, RegExp][] = [
      ['', /ends early at byte 0/],
      ['i12', /malformed integer at byte 0/],
      ['i01e', /malformed integer/],
      ['i-0e', /malformed integer/],
      ['ie', /malformed integer/],
      ['5:abc', /runs past the end/],
      ['05:abcde', /malformed string length/],
      ['l1:a', /ends early at byte 4/],
      ['di1e1:ae', /key that is not a string at byte 1/],
      ['d1:a', /ends early/],
      ['x', /unexpected byte 0x78 at byte 0/],
      ['i1ei2e', /3 bytes after its value/],
      ['l'.repeat(100) + 'e'.repeat(100), /nested deeper than 64/],
    ];
    for (const [bytes, message] of cases) expect(() => bdecode(Buffer.from(bytes)), bytes).toThrow(message);
  });
});
