type SinkCapable = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

/**
 * The ringtone's own `<audio>` element (`data-phone-audio="ringer"`), fed from WebAudio, so it can
 * ring on another device than the calls (a loudspeaker while the calls go to a headset). It
 * exists only while ringing.
 */
export class RingerOutput {
  private destination: MediaStreamAudioDestinationNode | null = null;
  private element: SinkCapable | null = null;
  private sinkId: string | null = null;

  /** Where the ringtone's graph ends. */
  input(context: AudioContext): AudioNode {
    if (this.destination?.context !== context) this.destination = context.createMediaStreamDestination();
    return this.destination;
  }

  play(): void {
    if (!this.destination) return;
    if (!this.element) {
      const element = new Audio() as SinkCapable;
      element.dataset.phoneAudio = 'ringer';
      element.hidden = true;
      document.body.append(element);
      this.element = element;
    }
    this.element.srcObject = this.destination.stream;
    if (this.sinkId && this.element.setSinkId)
      void this.element.setSinkId(this.sinkId).catch(() => undefined);
    void this.element.play()?.catch(() => undefined);
  }

  stop(): void {
    const element = this.element;
    this.element = null;
    if (!element) return;
    element.pause();
    element.srcObject = null;
    element.remove();
  }

  /** The output device; null: the system's default. */
  async setSink(deviceId: string | null): Promise<void> {
    this.sinkId = deviceId;
    await this.element?.setSinkId?.(deviceId ?? '').catch(() => undefined);
  }
}
