import { canonicalHeaderName, isListHeader } from './header-names';
import { isToken, splitOutside } from './header-syntax';
import { cseqOf, fromOf, toOf, topViaOf } from './message-fields';
import { SipHeaders } from './sip-headers';
import type { SipMessage, SipRequest } from './sip-message';
import { parseVia } from './via';

export interface ParseLimits {
  /** Whole message, in bytes. */
  maxMessageBytes: number;
  /** Header lines after unfolding. */
  maxHeaders: number;
  /** Header values after splitting comma lists. */
  maxHeaderValues: number;
  /** One header line after unfolding, or the start line, in characters. */
  maxLineLength: number;
}

export const defaultParseLimits: ParseLimits = {
  maxMessageBytes: 64 * 1024,
  maxHeaders: 200,
  maxHeaderValues: 1000,
  maxLineLength: 8 * 1024,
};

export interface ParseOptions {
  limits?: Partial<ParseLimits>;
  /**
   * Stream transports frame by Content-Length, so they require it. Message transports
   * (WebSocket per RFC 7118, UDP) may omit it: the body is the rest of the message.
   */
  requireContentLength?: boolean;
  /**
   * 'reject' (WebSocket: one message per frame, so extra bytes are an error) or
   * 'discard' (UDP, RFC 3261 18.3: bytes after Content-Length are dropped).
   */
  extraBodyBytes?: 'reject' | 'discard';
}

export interface SipParseError {
  /** Short and human readable; used as the reason phrase of the error response. */
  reason: string;
  /** The status to answer with: 400, 505 (version) or 513 (too large). */
  status: 400 | 505 | 513;
  /** True when this was a request and Via, From, To, Call-ID and CSeq were read. */
  canRespond: boolean;
  /** What was read of the request, to build the error response from; set iff canRespond. */
  request?: SipRequest;
}

export type ParseResult = { ok: true; message: SipMessage } | { ok: false; error: SipParseError };

const responseHeaders = ['via', 'from', 'to', 'call-id', 'cseq'] as const;

class ParseFailure {
  constructor(
    readonly reason: string,
    readonly status: 400 | 505 | 513 = 400,
  ) {}
}

/** Parses one complete SIP message. Never throws: malformed input yields `ok: false`. */
export function parseMessage(input: string, options: ParseOptions = {}): ParseResult {
  const limits = { ...defaultParseLimits, ...options.limits };
  if (input.length > limits.maxMessageBytes || Buffer.byteLength(input) > limits.maxMessageBytes) {
    return fail(new ParseFailure('Message Too Large', 513), null);
  }
  let partial: SipRequest | null = null;
  try {
    // RFC 3261 7.5: CRLFs before the start line are ignored.
    let start = 0;
    while (input[start] === '\r' || input[start] === '\n') start++;
    const text = start === 0 ? input : input.slice(start);

    const { headEnd, bodyStart } = findHeadEnd(text);
    const head = text.slice(0, headEnd === -1 ? text.length : headEnd);
    const lines = head.split(/\r?\n/);
    // Without the blank line the last line may be cut anywhere: read only the whole ones.
    if (headEnd === -1 && lines.length > 1) lines.pop();
    const startLine = lines[0] ?? '';
    if (startLine.length > limits.maxLineLength) throw new ParseFailure('Start line too long');

    const headers = new SipHeaders();
    const { message, badVersion } = parseStartLine(startLine, headers);
    if (message.kind === 'request') partial = message;
    readHeaders(lines, headers, limits);
    if (badVersion) throw new ParseFailure('Unsupported SIP version', 505);
    if (headEnd === -1) throw new ParseFailure('Truncated message (no end of headers)');
    if (head.includes('\0')) throw new ParseFailure('Malformed message');

    message.body = readBody(text.slice(bodyStart), headers, options);
    validate(message);
    return { ok: true, message };
  } catch (error) {
    if (error instanceof ParseFailure) return fail(error, partial);
    // A bug must not take the connection down; report it as an unparseable message.
    return fail(new ParseFailure('Malformed message'), null);
  }
}

function fail(failure: ParseFailure, request: SipRequest | null): ParseResult {
  const canRespond = request !== null && responseHeaders.every((name) => request.headers.has(name));
  const error: SipParseError = { reason: failure.reason, status: failure.status, canRespond };
  if (canRespond && request) error.request = request;
  return { ok: false, error };
}

function findHeadEnd(text: string): { headEnd: number; bodyStart: number } {
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { headEnd: crlf, bodyStart: crlf + 4 };
  if (lf !== -1) return { headEnd: lf, bodyStart: lf + 2 };
  return { headEnd: -1, bodyStart: text.length };
}

function parseStartLine(line: string, headers: SipHeaders): { message: SipMessage; badVersion: boolean } {
  if (line.startsWith('SIP/')) {
    const firstSpace = line.indexOf(' ');
    const version = firstSpace === -1 ? line : line.slice(0, firstSpace);
    if (version !== 'SIP/2.0') throw new ParseFailure('Unsupported SIP version', 505);
    const rest = line.slice(firstSpace + 1);
    const code = rest.slice(0, 3);
    if (!/^[1-6][0-9][0-9]$/.test(code) || (rest.length > 3 && rest[3] !== ' ')) {
      throw new ParseFailure('Malformed status line');
    }
    if (hasControlCharacters(rest)) throw new ParseFailure('Malformed status line');
    const reason = rest.slice(4);
    return {
      message: { kind: 'response', status: Number(code), reason, headers, body: '' },
      badVersion: false,
    };
  }
  const [method, uri, version, ...extra] = line.split(' ');
  if (method === undefined || uri === undefined || version === undefined || extra.length > 0) {
    throw new ParseFailure('Malformed request line');
  }
  if (!isToken(method)) throw new ParseFailure('Malformed request line');
  if (!/^[A-Za-z][A-Za-z0-9+\-.]*:[^\s]+$/.test(uri)) throw new ParseFailure('Malformed Request-URI');
  if (!/^SIP\/[0-9]+\.[0-9]+$/.test(version)) throw new ParseFailure('Malformed request line');
  // A request in another SIP version still has its headers read, so that 505 can be sent.
  const request: SipRequest = { kind: 'request', method, uri, headers, body: '' };
  return { message: request, badVersion: version !== 'SIP/2.0' };
}

/** Controls other than tab (reason phrases allow UTF-8 text, not line breaks or NULs). */
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}

function readHeaders(lines: string[], headers: SipHeaders, limits: ParseLimits): void {
  let current: string | null = null;
  let count = 0;
  let values = 0;
  const flush = (line: string): void => {
    count++;
    if (count > limits.maxHeaders) throw new ParseFailure('Too many headers');
    const colon = line.indexOf(':');
    if (colon <= 0) throw new ParseFailure('Malformed header line');
    const name = line.slice(0, colon).trimEnd();
    if (!isToken(name)) throw new ParseFailure('Malformed header name');
    const value = line.slice(colon + 1).trim();
    const pieces = isListHeader(name) ? splitOutside(value, ',') : [value];
    if (pieces.length === 0) pieces.push('');
    values += pieces.length;
    if (values > limits.maxHeaderValues) throw new ParseFailure('Too many header values');
    for (const piece of pieces) headers.append(name, piece);
  };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith(' ') || line.startsWith('\t')) {
      // RFC 3261 7.3.1: a continuation line is folded into the previous one with one space.
      if (current === null) throw new ParseFailure('Malformed header line');
      current += ` ${line.trim()}`;
    } else {
      if (current !== null) flush(current);
      current = line;
    }
    if (current.length > limits.maxLineLength) throw new ParseFailure('Header line too long');
  }
  if (current !== null) flush(current);
}

function readBody(body: string, headers: SipHeaders, options: ParseOptions): string {
  const lengths = headers.getAll('content-length');
  if (lengths.length === 0) {
    if (options.requireContentLength) throw new ParseFailure('Missing Content-Length');
    return body;
  }
  const first = lengths[0] ?? '';
  if (!lengths.every((value) => value === first) || !/^[0-9]{1,9}$/.test(first)) {
    throw new ParseFailure('Invalid Content-Length');
  }
  const declared = Number(first);
  const actual = Buffer.byteLength(body);
  if (declared === actual) return body;
  if (declared > actual) throw new ParseFailure('Content-Length exceeds body (truncated message)');
  if (options.extraBodyBytes === 'discard') {
    return Buffer.from(body).subarray(0, declared).toString();
  }
  throw new ParseFailure('Content-Length mismatch');
}

function validate(message: SipMessage): void {
  const { headers } = message;
  for (const name of responseHeaders) {
    if (!headers.has(name)) throw new ParseFailure(`Missing ${canonicalHeaderName(name)} header`);
  }
  for (const name of ['call-id', 'cseq', 'from', 'to', 'max-forwards'] as const) {
    if (headers.getAll(name).length > 1) {
      throw new ParseFailure(`Repeated ${canonicalHeaderName(name)} header`);
    }
  }
  if ((headers.get('call-id') ?? '') === '') throw new ParseFailure('Empty Call-ID header');
  // Read through the memo: the handlers that ask for these next get the same objects.
  const cseq = cseqOf(message);
  if (!cseq) throw new ParseFailure('Malformed CSeq header');
  if (message.kind === 'request' && cseq.method !== message.method) {
    throw new ParseFailure('CSeq method does not match the request');
  }
  if (!topViaOf(message)) throw new ParseFailure('Malformed Via header');
  const vias = headers.getAll('via');
  for (let i = 1; i < vias.length; i++) {
    if (!parseVia(vias[i] ?? '')) throw new ParseFailure('Malformed Via header');
  }
  if (!fromOf(message)) throw new ParseFailure('Malformed From header');
  if (!toOf(message)) throw new ParseFailure('Malformed To header');
  const maxForwards = headers.get('max-forwards');
  if (maxForwards !== undefined && !/^[0-9]{1,3}$/.test(maxForwards)) {
    throw new ParseFailure('Malformed Max-Forwards header');
  }
}
