import { describe, expect, it } from 'vitest';
import { StreamFramer, type Frame } from './stream-framer';

const message = (body = '', extra = '') =>
  `OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

const texts = (frames: Frame[]) =>
  frames.map((f) => (f.kind === 'message' ? f.bytes.toString('utf8') : f.kind));

describe('StreamFramer (SIP over TCP, RFC 3261 18.3)', () => {
  it('splits two pipelined messages that arrive in one chunk', () => {
    const framer = new StreamFramer(64 * 1024);
    const a = message('hello');
    const b = message();
    expect(texts(framer.push(Buffer.from(a + b)))).toEqual([a, b]);
    expect(framer.pending).toBe(0);
  });

  it('waits for a message that arrives byte by byte, counting the body in bytes', () => {
    const framer = new StreamFramer(64 * 1024);
    const whole = message('héllo ☎'); // 11 bytes, 7 characters
    const bytes = Buffer.from(whole);
    const frames: Frame[] = [];
    for (let i = 0; i < bytes.length; i++) frames.push(...framer.push(bytes.subarray(i, i + 1)));
    expect(texts(frames)).toEqual([whole]);
  });

  it('skips CRLFs between messages and reports a double CRLF as a keep-alive ping', () => {
    const framer = new StreamFramer(64 * 1024);
    const a = message();
    expect(texts(framer.push(Buffer.from(`\r\n\r\n${a}\r\n`)))).toEqual(['ping', a]);
  });

  it('reads the compact form l: as Content-Length', () => {
    const framer = new StreamFramer(64 * 1024);
    const text = message('abc').replace('Content-Length: 3', 'l: 3');
    expect(texts(framer.push(Buffer.from(text)))).toEqual([text]);
  });

  it('cannot frame a message without Content-Length: fatal, with the head to answer', () => {
    const framer = new StreamFramer(64 * 1024);
    const text = message().replace('Content-Length: 0\r\n', '');
    const [frame] = framer.push(Buffer.from(text));
    expect(frame).toMatchObject({ kind: 'fatal', status: 400, reason: 'Missing Content-Length' });
    expect(frame?.kind === 'fatal' && frame.head).toContain('OPTIONS sip:a@b');
    expect(framer.push(Buffer.from(message()))).toEqual([]);
  });

  it('refuses disagreeing Content-Lengths and messages over the limit', () => {
    const twice = new StreamFramer(64 * 1024).push(Buffer.from(message('', 'Content-Length: 5\r\n')));
    expect(twice[0]).toMatchObject({ kind: 'fatal', reason: 'Bad Content-Length' });
    const large = new StreamFramer(1024).push(Buffer.from(message('x'.repeat(2000))));
    expect(large[0]).toMatchObject({ kind: 'fatal', status: 513 });
    const endless = new StreamFramer(1024).push(
      Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\nX: ${'y'.repeat(2000)}`),
    );
    expect(endless[0]).toMatchObject({ kind: 'fatal', status: 513, head: null });
  });
});
