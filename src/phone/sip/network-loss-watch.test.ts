import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NetworkLossWatch, PING_INTERVAL_MS } from './network-loss-watch';

class FakePeerConnection extends EventTarget {
  iceConnectionState: RTCIceConnectionState = 'connected';
  set(state: RTCIceConnectionState): void {
    this.iceConnectionState = state;
    this.dispatchEvent(new Event('iceconnectionstatechange'));
  }
}

/** A watch whose pings are answered while `answers` is true, each after `pongMs`. */
function watch(pongMs = 100) {
  const state = { answers: true, pings: 0 };
  const lost = vi.fn();
  const ping = () => {
    state.pings += 1;
    const answered = state.answers;
    return new Promise<boolean>((resolve) => setTimeout(() => resolve(answered), pongMs));
  };
  return { state, lost, watcher: new NetworkLossWatch({ ping, lost }) };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('noticing a network change the browser does not announce', () => {
  it('pings every interval while the connection answers, and reports nothing', async () => {
    const { state, lost, watcher } = watch();
    watcher.start();
    await vi.advanceTimersByTimeAsync(PING_INTERVAL_MS * 3 + 200);
    expect(state.pings).toBe(3);
    expect(lost).not.toHaveBeenCalled();
    watcher.stop();
    await vi.advanceTimersByTimeAsync(PING_INTERVAL_MS * 3);
    expect(state.pings).toBe(3);
  });

  it('reports a ping without a pong once, and pings no more until started again', async () => {
    const { state, lost, watcher } = watch();
    watcher.start();
    state.answers = false;
    await vi.advanceTimersByTimeAsync(PING_INTERVAL_MS + 100);
    expect(lost).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(PING_INTERVAL_MS * 3);
    expect(state.pings).toBe(1);
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('pings at once when a call’s ICE goes disconnected or failed, not on other states', async () => {
    const { state, lost, watcher } = watch();
    const pc = new FakePeerConnection();
    watcher.start();
    watcher.watchIce(pc);
    pc.set('checking');
    pc.set('connected');
    expect(state.pings).toBe(0);
    pc.set('disconnected');
    // One ping at a time, however many changes come in while it waits.
    pc.set('failed');
    expect(state.pings).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(lost).not.toHaveBeenCalled();

    state.answers = false;
    pc.set('disconnected');
    await vi.advanceTimersByTimeAsync(100);
    expect(state.pings).toBe(2);
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('stops listening to a peer connection once it is closed, and ignores ICE while stopped', async () => {
    const { state, watcher } = watch();
    const pc = new FakePeerConnection();
    watcher.watchIce(pc);
    pc.set('disconnected');
    expect(state.pings).toBe(0);
    watcher.start();
    pc.set('closed');
    pc.set('failed');
    expect(state.pings).toBe(0);
  });
});
