import { canonicalHeaderName, headerName } from './header-names';
import { hasBareControl, isToken, isTokenCharAt, parseDecimal, splitOutside, trimLws } from './header-syntax';
import { cseqOf, fromOf, toOf, topViaOf } from './message-fields';
import { SipHeaders } from './sip-headers';
import type { SipBody, SipMessage, SipRequest } from './sip-message';
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

/**
 * Parses one complete SIP message: text (a WebSocket text frame) or bytes (a binary frame, a
 * datagram). Content-Length counts bytes either way; a body that is not UTF-8 is kept as
 * bytes. Never throws: malformed input yields `ok: false`.
 */
export function parseMessage(input: string | Buffer, options: ParseOptions = {}): ParseResult {
  const limits = options.limits ? limitsOf(options.limits) : defaultParseLimits;
  const tooLarge =
    typeof input === 'string'
      ? input.length > limits.maxMessageBytes ||
        // A UTF-16 unit is at most 3 bytes of UTF-8: count the bytes only when that could pass.
        (input.length * 3 > limits.maxMessageBytes && Buffer.byteLength(input) > limits.maxMessageBytes)
      : input.length > limits.maxMessageBytes;
  if (tooLarge) return fail(new ParseFailure('Message Too Large', 513), null);
  let partial: SipRequest | null = null;
  try {
    const { head, rawBody, complete } = typeof input === 'string' ? splitText(input) : splitBytes(input);
    const lines = splitLines(head);
    // Without the blank line the last line may be cut anywhere: read only the whole ones.
    if (!complete && lines.length > 1) lines.pop();
    const startLine = lines[0] ?? '';
    if (startLine.length > limits.maxLineLength) throw new ParseFailure('Start line too long');

    const headers = new SipHeaders();
    const { message, failure } = parseStartLine(startLine, headers);
    if (message.kind === 'request') partial = message;
    // A request line that cannot be read still has its headers read, so that the 400 (or the
    // 505) can be sent: RFC 4475 3.1.2.7-3.1.2.10 and 3.1.2.16 expect an answer.
    readHeaders(lines, headers, limits);
    if (failure) throw failure;
    if (!complete) throw new ParseFailure('Truncated message (no end of headers)');

    message.body = readBody(rawBody, headers, options);
    validate(message);
    return { ok: true, message };
  } catch (error) {
    if (error instanceof ParseFailure) return fail(error, partial);
    // A bug must not take the connection down; report it as an unparseable message.
    return fail(new ParseFailure('Malformed message'), null);
  }
}

/** Transports pass the same limits with every message: they are completed once per object. */
const completed = new WeakMap<Partial<ParseLimits>, ParseLimits>();

function limitsOf(given: Partial<ParseLimits>): ParseLimits {
  let limits = completed.get(given);
  if (limits === undefined) {
    limits = { ...defaultParseLimits, ...given };
    completed.set(given, limits);
  }
  return limits;
}

/** The lines of the head, split at LF with the CR before it dropped (as `split(/\r?\n/)`, without the regex). */
function splitLines(head: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let lf = head.indexOf('\n'); lf !== -1; lf = head.indexOf('\n', start)) {
    lines.push(head.slice(start, lf > start && head.charCodeAt(lf - 1) === CR ? lf - 1 : lf));
    start = lf + 1;
  }
  lines.push(start === 0 ? head : head.slice(start));
  return lines;
}

function fail(failure: ParseFailure, request: SipRequest | null): ParseResult {
  // ACK is never answered (RFC 3261 17.2.1), whatever its request line says.
  const canRespond =
    request !== null &&
    responseHeaders.every((name) => request.headers.has(name)) &&
    request.method !== 'ACK' &&
    !/^\s*[0-9]+\s+ACK\s*$/.test(request.headers.get('cseq') ?? '');
  const error: SipParseError = { reason: failure.reason, status: failure.status, canRespond };
  if (canRespond && request) error.request = request;
  return { ok: false, error };
}

interface SplitMessage {
  /** The start line and headers, as text. */
  head: string;
  rawBody: string | Buffer;
  /** Whether the blank line ending the headers was found. */
  complete: boolean;
}

function splitText(input: string): SplitMessage {
  // RFC 3261 7.5: CRLFs before the start line are ignored.
  let start = 0;
  while (input[start] === '\r' || input[start] === '\n') start++;
  const text = start === 0 ? input : input.slice(start);
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  let headEnd = -1;
  let bodyStart = text.length;
  if (crlf !== -1 && (lf === -1 || crlf < lf)) [headEnd, bodyStart] = [crlf, crlf + 4];
  else if (lf !== -1) [headEnd, bodyStart] = [lf, lf + 2];
  const head = headEnd === -1 ? text : text.slice(0, headEnd);
  return { head, rawBody: text.slice(bodyStart), complete: headEnd !== -1 };
}

const CR = 0x0d;
const LF = 0x0a;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function splitBytes(input: Buffer): SplitMessage {
  let start = 0;
  while (input[start] === CR || input[start] === LF) start++;
  const crlf = input.indexOf('\r\n\r\n', start);
  const lf = input.indexOf('\n\n', start);
  let headEnd = -1;
  let bodyStart = input.length;
  if (crlf !== -1 && (lf === -1 || crlf < lf)) [headEnd, bodyStart] = [crlf, crlf + 4];
  else if (lf !== -1) [headEnd, bodyStart] = [lf, lf + 2];
  const headBytes = input.subarray(start, headEnd === -1 ? input.length : headEnd);
  let head: string;
  try {
    head = strictUtf8.decode(headBytes);
  } catch {
    throw new ParseFailure('Malformed message (headers are not UTF-8)');
  }
  return { head, rawBody: input.subarray(bodyStart), complete: headEnd !== -1 };
}

function parseStartLine(
  line: string,
  headers: SipHeaders,
): { message: SipMessage; failure: ParseFailure | null } {
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
      failure: null,
    };
  }
  // Anything else is taken for a request, so that a broken request line can be answered.
  const plainMethodEnd = plainRequestLineMethodEnd(line);
  const failure = plainMethodEnd === -1 ? requestLineFailure(line) : null;
  let method: string;
  let uri: string;
  if (failure === null) {
    // A well-formed line is exactly `method SP uri SP SIP/2.0`.
    const methodEnd = plainMethodEnd === -1 ? line.indexOf(' ') : plainMethodEnd;
    method = line.slice(0, methodEnd);
    uri = line.slice(methodEnd + 1, line.length - versionSuffix.length);
  } else {
    const words = line.trim().split(/[ \t]+/);
    method = words[0] ?? '';
    uri = words[1] ?? '';
  }
  const request: SipRequest = { kind: 'request', method, uri, headers, body: '' };
  return { message: request, failure };
}

const versionSuffix = ' SIP/2.0';

/**
 * Where the method ends in the common request line, `token SP scheme ":" printable-ASCII SP SIP/2.0`,
 * read in one pass; -1 for any other, which requestLineFailure judges (it passes all these).
 */
function plainRequestLineMethodEnd(line: string): number {
  const uriEnd = line.length - versionSuffix.length;
  if (uriEnd < 4 || !line.endsWith(versionSuffix)) return -1;
  let i = 0;
  while (isTokenCharAt(line, i)) i++;
  if (i === 0 || i >= uriEnd || line.charCodeAt(i) !== 0x20) return -1;
  const methodEnd = i;
  // The Request-URI: a scheme, a colon, then printable ASCII characters other than < > and ".
  if (schemeCodes[line.charCodeAt(++i)] !== 2) return -1;
  for (i++; i < uriEnd && (schemeCodes[line.charCodeAt(i)] ?? 0) > 0; i++);
  if (i >= uriEnd - 1 || line.charCodeAt(i) !== 0x3a) return -1;
  for (i++; i < uriEnd; i++) {
    const code = line.charCodeAt(i);
    if (code <= 0x20 || code >= 0x7f || code === 0x22 || code === 0x3c || code === 0x3e) return -1;
  }
  return methodEnd;
}

/** Request-URI scheme characters by char code: 2 for a letter (which may start it), 1 for a digit, + - or . */
const schemeCodes = Uint8Array.from({ length: 128 }, (_, code) =>
  /[A-Za-z]/.test(String.fromCharCode(code)) ? 2 : /[0-9+\-.]/.test(String.fromCharCode(code)) ? 1 : 0,
);

/** What is wrong with a request line (RFC 3261 7.1: Method SP Request-URI SP SIP-Version). */
function requestLineFailure(line: string): ParseFailure | null {
  if (hasControlCharacters(line)) return new ParseFailure('Malformed request line (control characters)');
  if (/^[ \t]/.test(line)) return new ParseFailure('Malformed request line (space before the method)');
  const parts = line.split(' ');
  if (parts.length < 3) {
    return new ParseFailure('Malformed request line (a method, a Request-URI and a SIP version are needed)');
  }
  if (parts.length > 3 || line.includes('\t')) {
    // Two spaces in a row or one at the end (RFC 4475 3.1.2.9, 3.1.2.10), or a Request-URI
    // with a space in it (3.1.2.8).
    return parts.includes('') || line.includes('\t')
      ? new ParseFailure('Malformed request line (extra spaces)')
      : new ParseFailure('Malformed Request-URI (it contains a space)');
  }
  const [method = '', uri = '', version = ''] = parts;
  if (!isToken(method)) return new ParseFailure('Malformed request line (the method is not a token)');
  // RFC 3986 absolute URI: a scheme, then no space, quote or angle bracket (3.1.2.7's `<sip:…>`).
  if (!/^[A-Za-z][A-Za-z0-9+\-.]*:[^\s<>"]+$/.test(uri)) return new ParseFailure('Malformed Request-URI');
  if (version !== 'SIP/2.0' && !/^SIP\/[0-9]+\.[0-9]+$/.test(version))
    return new ParseFailure('Malformed request line (SIP version)');
  // A request in another SIP version still has its headers read, so that 505 can be sent.
  if (version !== 'SIP/2.0') return new ParseFailure('Unsupported SIP version', 505);
  return null;
}

/** Controls other than tab (reason phrases allow UTF-8 text, not line breaks or NULs). */
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}

/** Header lines and values read so far, against the limits. */
interface HeaderCounts {
  lines: number;
  values: number;
}

function readHeaders(lines: string[], headers: SipHeaders, limits: ParseLimits): void {
  const counts: HeaderCounts = { lines: 0, values: 0 };
  let current: string | null = null;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith(' ') || line.startsWith('\t')) {
      // RFC 3261 7.3.1: a continuation line is folded into the previous one with one space.
      if (current === null) throw new ParseFailure('Malformed header line');
      current += ` ${trimLws(line)}`;
    } else {
      if (current !== null) readHeader(current, headers, limits, counts);
      current = line;
    }
    if (current.length > limits.maxLineLength) throw new ParseFailure('Header line too long');
  }
  if (current !== null) readHeader(current, headers, limits, counts);
}

/** One unfolded header line into `headers`, a list header split into its values. */
function readHeader(line: string, headers: SipHeaders, limits: ParseLimits, counts: HeaderCounts): void {
  counts.lines++;
  if (counts.lines > limits.maxHeaders) throw new ParseFailure('Too many headers');
  const colon = line.indexOf(':');
  if (colon <= 0) throw new ParseFailure('Malformed header line');
  const name = trimLws(line.slice(0, colon));
  const facts = headerName(name);
  if (!facts.token) throw new ParseFailure('Malformed header name');
  const value = trimLws(line.slice(colon + 1));
  if (hasBareControl(value))
    throw new ParseFailure(`Malformed ${facts.canonical} header (control characters)`);
  if (!facts.list) {
    counts.values++;
    if (counts.values > limits.maxHeaderValues) throw new ParseFailure('Too many header values');
    headers.appendKnown(facts.key, facts.canonical, value);
    return;
  }
  const pieces = splitOutside(value, ',');
  if (pieces.length === 0) pieces.push('');
  counts.values += pieces.length;
  if (counts.values > limits.maxHeaderValues) throw new ParseFailure('Too many header values');
  for (const piece of pieces) headers.appendKnown(facts.key, facts.canonical, piece);
}

function readBody(body: string | Buffer, headers: SipHeaders, options: ParseOptions): SipBody {
  const lengths = headers.getAll('content-length');
  if (lengths.length === 0) {
    if (options.requireContentLength) throw new ParseFailure('Missing Content-Length');
    return asBody(body);
  }
  const first = lengths[0] ?? '';
  const declared = parseDecimal(first, 2 ** 31 - 1);
  if (declared === null || !lengths.every((value) => parseDecimal(value, 2 ** 31 - 1) === declared)) {
    throw new ParseFailure('Invalid Content-Length');
  }
  // Content-Length counts bytes (RFC 3261 20.14), whichever way the message came.
  const actual = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (declared === actual) return asBody(body);
  if (declared > actual) throw new ParseFailure('Content-Length exceeds body (truncated message)');
  if (options.extraBodyBytes === 'discard') {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    return asBody(bytes.subarray(0, declared));
  }
  throw new ParseFailure('Content-Length mismatch');
}

/** Text when the bytes are UTF-8, otherwise a copy of the bytes (not a view of the frame). */
function asBody(body: string | Buffer): SipBody {
  if (typeof body === 'string') return body;
  try {
    return strictUtf8.decode(body);
  } catch {
    return Buffer.from(body);
  }
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
  // 1*DIGIT, leading zeros allowed (RFC 4475 3.1.1.1 sends `0068`), at most 255.
  const maxForwards = headers.get('max-forwards');
  if (maxForwards !== undefined && parseDecimal(maxForwards, 255) === null) {
    throw new ParseFailure('Malformed Max-Forwards header');
  }
}
