import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session } from 'sip.js/lib/api/index.js';
import type { IncomingInviteRequest } from 'sip.js/lib/core/index.js';
import { REQUEST_PENDING, refuseCrossingReinvites, untilStable } from './reinvite-glare';

type Delegate = { onInvite?: (request: IncomingInviteRequest) => void };

function sessionWith(delegate: Delegate | undefined): Pick<Session, 'dialog'> {
  return { dialog: delegate ? { delegate } : undefined } as unknown as Pick<Session, 'dialog'>;
}

function incomingInvite() {
  return { reject: vi.fn() } as unknown as IncomingInviteRequest & { reject: ReturnType<typeof vi.fn> };
}

describe('re-INVITEs crossing this phone’s own', () => {
  it('are answered 491 until let through, then reach sip.js again', () => {
    const sipJs = vi.fn();
    const delegate: Delegate = { onInvite: sipJs };
    const letThrough = refuseCrossingReinvites(sessionWith(delegate));

    const crossing = incomingInvite();
    delegate.onInvite?.(crossing);
    expect(crossing.reject).toHaveBeenCalledWith({ statusCode: REQUEST_PENDING });
    expect(sipJs).not.toHaveBeenCalled();

    letThrough();
    const later = incomingInvite();
    delegate.onInvite?.(later);
    expect(sipJs).toHaveBeenCalledWith(later);
    expect(later.reject).not.toHaveBeenCalled();
  });

  it('leave a handler sip.js put in meanwhile in place', () => {
    const delegate: Delegate = { onInvite: vi.fn() };
    const letThrough = refuseCrossingReinvites(sessionWith(delegate));
    const replacement = vi.fn();
    delegate.onInvite = replacement;
    letThrough();
    expect(delegate.onInvite).toBe(replacement);
  });

  it('need nothing of a session without a dialog', () => {
    expect(() => refuseCrossingReinvites(sessionWith(undefined))()).not.toThrow();
  });
});

class FakePeerConnection extends EventTarget {
  signalingState: RTCSignalingState = 'have-remote-offer';
  become(state: RTCSignalingState): void {
    this.signalingState = state;
    this.dispatchEvent(new Event('signalingstatechange'));
  }
}

describe('waiting for the other side’s offer to be answered', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('is over at once when no offer is pending', async () => {
    const pc = new FakePeerConnection();
    pc.signalingState = 'stable';
    await expect(untilStable(pc, 1_000)).resolves.toBe(true);
  });

  it('ends when the answer is set', async () => {
    const pc = new FakePeerConnection();
    const settled = untilStable(pc, 1_000);
    pc.become('have-remote-pranswer');
    pc.become('stable');
    await expect(settled).resolves.toBe(true);
  });

  it('gives up when the call closes or the time is up', async () => {
    const closing = new FakePeerConnection();
    const closed = untilStable(closing, 1_000);
    closing.become('closed');
    await expect(closed).resolves.toBe(false);

    const stuck = untilStable(new FakePeerConnection(), 1_000);
    vi.advanceTimersByTime(1_000);
    await expect(stuck).resolves.toBe(false);
  });
});
