type SinkCapable = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

/**
 * Plays each call's incoming audio in its own <audio> element (which WebRTC audio also needs
 * before WebAudio hears it), on the chosen speaker.
 */
export class RemoteAudio {
  private readonly elements = new Map<string, SinkCapable>();
  private speakerId: string | null = null;

  play(callId: string, stream: MediaStream): void {
    let element = this.elements.get(callId);
    if (!element) {
      element = new Audio() as SinkCapable;
      element.autoplay = true;
      this.elements.set(callId, element);
    }
    element.srcObject = stream;
    if (this.speakerId && element.setSinkId) void element.setSinkId(this.speakerId).catch(() => undefined);
    void element.play().catch(() => undefined);
  }

  stop(callId: string): void {
    const element = this.elements.get(callId);
    if (!element) return;
    element.pause();
    element.srcObject = null;
    this.elements.delete(callId);
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
    for (const callId of [...this.elements.keys()]) this.stop(callId);
  }
}
