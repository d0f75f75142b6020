/**
 * An estimated MOS (1–4.5) from what getStats tells, with the simplified ITU-T G.107 E-model
 * commonly used for VoIP monitoring: R = 93.2 − delay impairment − loss impairment.
 */
export function estimateMos(input: { rttMs: number; jitterMs: number; lossPercent: number }): number {
  // One-way delay, plus what the jitter buffer adds, plus codec framing.
  const effectiveLatency = input.rttMs / 2 + input.jitterMs * 2 + 10;
  let r = effectiveLatency < 160 ? 93.2 - effectiveLatency / 40 : 93.2 - (effectiveLatency - 120) / 10;
  r -= input.lossPercent * 2.5;
  r = Math.min(100, Math.max(0, r));
  const mos = 1 + 0.035 * r + 0.000007 * r * (r - 60) * (100 - r);
  return Math.round(Math.min(4.5, Math.max(1, mos)) * 10) / 10;
}
