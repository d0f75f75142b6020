import { isToken, parseDecimal } from './header-syntax';

export interface CSeq {
  seq: number;
  method: string;
}

const MAX_CSEQ = 2 ** 31 - 1;

/** Parses `314159 INVITE`; the number must be below 2**31 (RFC 3261 8.1.1.5). */
export function parseCSeq(text: string): CSeq | null {
  const parts = text.trim().split(/[ \t]+/);
  if (parts.length !== 2) return null;
  const [digits, method] = parts;
  if (digits === undefined || method === undefined) return null;
  if (!isToken(method)) return null;
  // Leading zeros are allowed (RFC 4475 3.1.1.1 sends `0009`).
  const seq = parseDecimal(digits, MAX_CSEQ);
  return seq === null ? null : { seq, method };
}

export function formatCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}
