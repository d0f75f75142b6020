import { isToken } from './header-syntax';

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
  if (!/^[0-9]{1,10}$/.test(digits) || !isToken(method)) return null;
  const seq = Number(digits);
  if (seq > MAX_CSEQ) return null;
  return { seq, method };
}

export function formatCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}
