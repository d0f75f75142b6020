import { describe, expect, it } from 'vitest';
import { sendQueuedTone, type TonesSender } from './queued-tones';

function handlerWithQueue(toneBuffer: string | null): TonesSender & { sent: string[] } {
  const sent: string[] = [];
  const dtmf = toneBuffer === null ? null : { toneBuffer };
  return {
    sent,
    peerConnection: {
      getSenders: () => [{ track: { kind: 'audio' }, dtmf } as unknown as RTCRtpSender],
    },
    sendDtmf(tones: string) {
      sent.push(tones);
      return true;
    },
  };
}

describe('sendQueuedTone', () => {
  it('keeps the tones still waiting in front of the new key', () => {
    const handler = handlerWithQueue('15');
    expect(sendQueuedTone(handler, '9')).toBe(true);
    expect(handler.sent).toEqual(['159']);
  });

  it('sends the key alone when nothing waits or the sender has no DTMF', () => {
    const idle = handlerWithQueue('');
    sendQueuedTone(idle, '#');
    const none = handlerWithQueue(null);
    sendQueuedTone(none, '*');
    expect([...idle.sent, ...none.sent]).toEqual(['#', '*']);
  });
});
