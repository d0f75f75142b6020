import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INBOUND_POLL_MS, INBOUND_STALL_MS, watchInboundAudio } from './inbound-audio-watch';

/** A peer connection whose received audio packets the test sets; stats also hold other entries. */
class FakePeerConnection {
  connectionState: RTCPeerConnectionState = 'connected';
  packets = 0;
  getStats(): Promise<RTCStatsReport> {
    const entries = new Map<string, Record<string, unknown>>([
      ['in', { type: 'inbound-rtp', kind: 'audio', packetsReceived: this.packets }],
      ['out', { type: 'outbound-rtp', kind: 'audio', packetsSent: 999 }],
    ]);
    return Promise.resolve(entries as unknown as RTCStatsReport);
  }
}

/** Advances time by `ms`, with packets arriving all along when `flowing`. */
async function run(pc: FakePeerConnection, ms: number, flowing: boolean): Promise<void> {
  for (let passed = 0; passed < ms; passed += 20) {
    if (flowing) pc.packets += 1;
    await vi.advanceTimersByTimeAsync(20);
  }
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('a stall in a call’s received audio', () => {
  it('is reported once when flowing audio stops for the stall time, and again after it flowed again', async () => {
    const pc = new FakePeerConnection();
    const stalled = vi.fn();
    watchInboundAudio(pc, stalled, { now: () => Date.now() });
    await run(pc, 2_000, true);
    expect(stalled).not.toHaveBeenCalled();
    await run(pc, INBOUND_STALL_MS - INBOUND_POLL_MS, false);
    expect(stalled).not.toHaveBeenCalled();
    await run(pc, INBOUND_POLL_MS * 2, false);
    expect(stalled).toHaveBeenCalledTimes(1);
    await run(pc, 5_000, false);
    expect(stalled).toHaveBeenCalledTimes(1);
    await run(pc, 1_000, true);
    await run(pc, INBOUND_STALL_MS + INBOUND_POLL_MS * 2, false);
    expect(stalled).toHaveBeenCalledTimes(2);
  });

  it('says nothing while audio never started (a call on hold from the start, a one-way monitor)', async () => {
    const pc = new FakePeerConnection();
    const stalled = vi.fn();
    watchInboundAudio(pc, stalled, { now: () => Date.now() });
    await run(pc, 5_000, false);
    expect(stalled).not.toHaveBeenCalled();
  });

  it('stops by itself once the peer connection is closed, or when told', async () => {
    const pc = new FakePeerConnection();
    const getStats = vi.spyOn(pc, 'getStats');
    watchInboundAudio(pc, vi.fn(), { now: () => Date.now() });
    await run(pc, 1_000, true);
    pc.connectionState = 'closed';
    await run(pc, 1_000, false);
    const polls = getStats.mock.calls.length;
    await run(pc, 1_000, false);
    expect(getStats.mock.calls.length).toBe(polls);

    const other = new FakePeerConnection();
    const otherStats = vi.spyOn(other, 'getStats');
    const stop = watchInboundAudio(other, vi.fn(), { now: () => Date.now() });
    stop();
    await run(other, 1_000, true);
    expect(otherStats).not.toHaveBeenCalled();
  });
});
