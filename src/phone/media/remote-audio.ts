type SinkCapable = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

/**
 * Plays each session's incoming audio in its own <audio> element (which WebRTC audio also needs
 * before WebAudio hears it), on the chosen speaker. Everything the person hears comes out of these
 * elements, nothing out of an AudioContext's destination. They sit hidden at the end of the page,
 * each with `data-phone-audio` naming its session (`call-…`, `monitor-…`), so what a person hears
 * can be checked: the unmuted ones.
 */
export class RemoteAudio {
  private readonly elements = new Map<string, SinkCapable>();
  private speakerId: string | null = null;

  /** `muted`: played (so WebAudio hears it) but not heard, as a listening operator's voice. */
  play(sessionId: string, stream: MediaStream, options: { muted?: boolean } = {}): void {
    let element = this.elements.get(sessionId);
    if (!element) {
      element = new Audio() as SinkCapable;
      element.autoplay = true;
      element.dataset.phoneAudio = sessionId;
      element.hidden = true;
      document.body.append(element);
      this.elements.set(sessionId, element);
    }
    element.muted = options.muted ?? false;
    element.srcObject = stream;
    if (this.speakerId && element.setSinkId) void element.setSinkId(this.speakerId).catch(() => undefined);
    void element.play().catch(() => undefined);
  }

  setMuted(sessionId: string, muted: boolean): void {
    const element = this.elements.get(sessionId);
    if (element) element.muted = muted;
  }

  stop(sessionId: string): void {
    const element = this.elements.get(sessionId);
    if (!element) return;
    element.pause();
    element.srcObject = null;
    element.remove();
    this.elements.delete(sessionId);
  }

  async setSpeaker(deviceId: string | null): Promise<void> {
    this.speakerId = deviceId;
    await Promise.all(
      [...this.elements.values()].map((element) =>
        element.setSinkId ? element.setSinkId(deviceId ?? '').catch(() => undefined) : undefined,
      ),
    );
  }

  dispose(): void {
    for (const sessionId of [...this.elements.keys()]) this.stop(sessionId);
  }
}
