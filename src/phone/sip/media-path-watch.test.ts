import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NO_MEDIA_AFTER_MS, noMediaSentence, watchMediaPath } from './media-path-watch';

class FakePeerConnection extends EventTarget {
  iceConnectionState: RTCIceConnectionState = 'checking';
  connectionState: RTCPeerConnectionState = 'connecting';
  set(ice: RTCIceConnectionState, connection: RTCPeerConnectionState = this.connectionState): void {
    this.iceConnectionState = ice;
    this.connectionState = connection;
    this.dispatchEvent(new Event('iceconnectionstatechange'));
    this.dispatchEvent(new Event('connectionstatechange'));
  }
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the audio path of an answered call', () => {
  it('says in a sentence whom the call has no audio path to, and what to do', () => {
    expect(noMediaSentence('Alice')).toBe(
      'No audio path to Alice: the network blocks it; ask your administrator for a relay.',
    );
  });

  it('ICE failing before it ever connected is reported once', () => {
    const pc = new FakePeerConnection();
    const failed = vi.fn();
    watchMediaPath(pc, failed);
    pc.set('failed', 'failed');
    pc.set('failed', 'failed');
    vi.advanceTimersByTime(NO_MEDIA_AFTER_MS * 2);
    expect(failed).toHaveBeenCalledTimes(1);
  });

  it('still checking when the time is up is reported too (never a silent connected call)', () => {
    const pc = new FakePeerConnection();
    const failed = vi.fn();
    watchMediaPath(pc, failed);
    vi.advanceTimersByTime(NO_MEDIA_AFTER_MS - 1);
    expect(failed).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(failed).toHaveBeenCalledTimes(1);
  });

  it('a call that connected is left alone, even if its path is lost later (network change)', () => {
    const pc = new FakePeerConnection();
    const failed = vi.fn();
    watchMediaPath(pc, failed);
    pc.set('connected', 'connected');
    pc.set('disconnected', 'disconnected');
    pc.set('failed', 'failed');
    vi.advanceTimersByTime(NO_MEDIA_AFTER_MS * 2);
    expect(failed).not.toHaveBeenCalled();
  });

  it('stopping the watch (the call ended) reports nothing', () => {
    const pc = new FakePeerConnection();
    const failed = vi.fn();
    const stop = watchMediaPath(pc, failed);
    stop();
    pc.set('failed', 'failed');
    vi.advanceTimersByTime(NO_MEDIA_AFTER_MS * 2);
    expect(failed).not.toHaveBeenCalled();
  });
});
