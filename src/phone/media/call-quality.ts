import { estimateMos } from './e-model';

export type CallQuality = {
  /** Packets lost in the last interval, percent of those expected. */
  lossPercent: number;
  jitterMs: number;
  /** Round-trip time; null until the other side reported it (RTCP). */
  rttMs: number | null;
  mos: number;
  packetsReceived: number;
};

/** Counters kept between two measurements, to tell the loss of the last interval. */
export type QualityCounters = { packetsReceived: number; packetsLost: number };

type StatsEntry = Record<string, unknown> & { type: string };

function numberField(entry: StatsEntry | undefined, name: string): number | undefined {
  const value = entry?.[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Reads loss, jitter and round-trip time of the audio received, from one getStats() report. */
export function qualityFromStats(
  entries: Iterable<StatsEntry>,
  previous: QualityCounters | null,
): { quality: CallQuality; counters: QualityCounters } | null {
  let inbound: StatsEntry | undefined;
  let remoteInbound: StatsEntry | undefined;
  let pair: StatsEntry | undefined;
  for (const entry of entries) {
    if (entry.type === 'inbound-rtp' && entry.kind === 'audio') inbound = entry;
    else if (entry.type === 'remote-inbound-rtp' && entry.kind === 'audio') remoteInbound = entry;
    else if (entry.type === 'candidate-pair' && entry.nominated === true && entry.state === 'succeeded')
      pair = entry;
  }
  if (!inbound) return null;
  const packetsReceived = numberField(inbound, 'packetsReceived') ?? 0;
  const packetsLost = Math.max(0, numberField(inbound, 'packetsLost') ?? 0);
  const receivedNow = packetsReceived - (previous?.packetsReceived ?? 0);
  const lostNow = packetsLost - (previous?.packetsLost ?? 0);
  const expected = receivedNow + lostNow;
  const lossPercent = expected > 0 ? Math.round((Math.max(0, lostNow) / expected) * 1000) / 10 : 0;
  const jitterMs = Math.round((numberField(inbound, 'jitter') ?? 0) * 1000 * 10) / 10;
  const rttSeconds = numberField(remoteInbound, 'roundTripTime') ?? numberField(pair, 'currentRoundTripTime');
  const rttMs = rttSeconds === undefined ? null : Math.round(rttSeconds * 1000);
  return {
    quality: {
      lossPercent,
      jitterMs,
      rttMs,
      mos: estimateMos({ rttMs: rttMs ?? 0, jitterMs, lossPercent }),
      packetsReceived,
    },
    counters: { packetsReceived, packetsLost },
  };
}

/** Measures a live peer connection. */
export async function measureCallQuality(
  peerConnection: RTCPeerConnection,
  previous: QualityCounters | null,
): Promise<{ quality: CallQuality; counters: QualityCounters } | null> {
  const report = await peerConnection.getStats();
  const entries: StatsEntry[] = [];
  report.forEach((entry: StatsEntry) => entries.push(entry));
  return qualityFromStats(entries, previous);
}
