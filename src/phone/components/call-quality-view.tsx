import type { CallQuality } from '../media/call-quality';

function verdict(mos: number): string {
  if (mos >= 4) return 'good';
  if (mos >= 3.6) return 'fair';
  return 'poor';
}

/** Live quality of the call: loss, jitter, round trip and an estimated MOS. */
export function CallQualityView({ quality }: { quality: CallQuality | null }) {
  if (!quality) return <p className="field-hint">Measuring call quality…</p>;
  return (
    <div role="group" aria-label="Call quality">
      <dl className="call-quality">
        <div>
          <dt>Quality</dt>
          <dd data-verdict={verdict(quality.mos)}>
            {verdict(quality.mos)} (MOS {quality.mos.toFixed(1)})
          </dd>
        </div>
        <div>
          <dt>Packet loss</dt>
          <dd>{quality.lossPercent.toFixed(1)} %</dd>
        </div>
        <div>
          <dt>Jitter</dt>
          <dd>{quality.jitterMs.toFixed(0)} ms</dd>
        </div>
        <div>
          <dt>Round trip</dt>
          <dd>{quality.rttMs === null ? 'not known yet' : `${quality.rttMs} ms`}</dd>
        </div>
      </dl>
    </div>
  );
}
