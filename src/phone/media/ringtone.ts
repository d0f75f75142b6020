import { RingerOutput } from './ringer-output';

/**
 * A ringtone made with WebAudio: the classic 440 + 480 Hz ring, 2 s on and 4 s off, or while
 * already on a call a short soft double beep every few seconds (call waiting). It plays through
 * the ringer output, which may be another device than the calls'.
 */
export class Ringtone {
  private readonly context: () => AudioContext;
  private timer: ReturnType<typeof setInterval> | undefined;
  private output: GainNode | null = null;
  private mode: 'ring' | 'waiting' | null = null;

  constructor(
    context: () => AudioContext,
    private readonly ringer: RingerOutput = new RingerOutput(),
  ) {
    this.context = context;
  }

  get playing(): 'ring' | 'waiting' | null {
    return this.mode;
  }

  start(mode: 'ring' | 'waiting'): void {
    if (this.mode === mode) return;
    this.stop();
    const context = this.context();
    const output = context.createGain();
    output.gain.value = 0;
    output.connect(this.ringer.input(context));
    for (const hz of mode === 'ring' ? [440, 480] : [440]) {
      const oscillator = context.createOscillator();
      oscillator.frequency.value = hz;
      oscillator.connect(output);
      oscillator.start();
    }
    this.output = output;
    this.mode = mode;
    this.ringer.play();
    const period = mode === 'ring' ? 6_000 : 5_000;
    const burst = () => this.burst(context, output, mode);
    burst();
    this.timer = setInterval(burst, period);
  }

  private burst(context: AudioContext, output: GainNode, mode: 'ring' | 'waiting'): void {
    const at = context.currentTime;
    const gain = output.gain;
    gain.cancelScheduledValues(at);
    if (mode === 'ring') {
      gain.setValueAtTime(0, at);
      gain.linearRampToValueAtTime(0.15, at + 0.02);
      gain.setValueAtTime(0.15, at + 2);
      gain.linearRampToValueAtTime(0, at + 2.02);
    } else {
      for (const start of [0, 0.4]) {
        gain.setValueAtTime(0, at + start);
        gain.linearRampToValueAtTime(0.05, at + start + 0.02);
        gain.setValueAtTime(0.05, at + start + 0.2);
        gain.linearRampToValueAtTime(0, at + start + 0.22);
      }
    }
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.output?.disconnect();
    this.output = null;
    this.mode = null;
    this.ringer.stop();
  }
}
