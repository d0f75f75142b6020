import { isToken, parseDecimal } from './header-syntax';

export interface CSeq {
  seq: number;
  method: string;
}

const MAX_CSEQ = 2 ** 31 - 1;

/** Parses `314159 INVITE`; the number must be below 2**31 (RFC 3261 8.1.1.5). */
export function parseCSeq(text: string): CSeq | null {
  const value = text.trim();
  // Two words between spaces or tabs, read in one pass (every message has a CSeq).
  let gap = 0;
  while (gap < value.length && !isBlank(value.charCodeAt(gap))) gap++;
  let start = gap;
  while (start < value.length && isBlank(value.charCodeAt(start))) start++;
  if (gap === 0 || start === gap || start === value.length) return null;
  const method = value.slice(start);
  // A token holds no space or tab, so a third word fails here.
  if (!isToken(method)) return null;
  // Leading zeros are allowed (RFC 4475 3.1.1.1 sends `0009`).
  const seq = parseDecimal(value.slice(0, gap), MAX_CSEQ);
  return seq === null ? null : { seq, method };
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

export function formatCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}
