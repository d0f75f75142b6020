import { describe, expect, it, vi } from 'vitest';
import { RemoteAudio } from './remote-audio';

describe('RemoteAudio', () => {
  it('plays each session in its own findable <audio> element, muted where asked, and removes it', () => {
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue();
    vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => undefined);
    const audio = new RemoteAudio();
    const stream = {} as MediaStream;
    audio.play('call-1', stream);
    audio.play('monitor-1', stream, { muted: true });

    const element = (id: string) =>
      document.querySelector<HTMLAudioElement>(`audio[data-phone-audio="${id}"]`);
    expect(element('call-1')?.muted).toBe(false);
    expect(element('monitor-1')?.muted).toBe(true);
    expect(element('monitor-1')?.hidden).toBe(true);

    audio.setMuted('monitor-1', false);
    expect(element('monitor-1')?.muted).toBe(false);

    audio.stop('monitor-1');
    expect(element('monitor-1')).toBeNull();
    audio.dispose();
    expect(document.querySelectorAll('audio')).toHaveLength(0);
  });
});
