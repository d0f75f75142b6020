import type { MonitorMode } from '../../../contracts/monitor';

/** Adds a node to what one session sends; returns how to take it out (null: nothing to add to). */
export type SendInput = (node: AudioNode) => (() => void) | null;

export type MonitorMixOptions = {
  context: Pick<AudioContext, 'createGain' | 'createMediaStreamSource'>;
  /** What the monitored call receives: the customer's voice. */
  customer: MediaStream;
  /** What the monitor session receives: the operator's voice. */
  operator: MediaStream;
  /** Into what the monitor session sends (to the operator; the agent's microphone is already in it). */
  toOperator: SendInput;
  /** Into what the monitored call sends (to the customer; the agent's microphone is already in it). */
  toCustomer: SendInput;
  /** Plays the operator's voice to the agent, or not: the monitor session's <audio> element. */
  playOperatorToAgent(audible: boolean): void;
};

/**
 * The agent's side of a monitor session, mixed in WebAudio (docs/monitoring.md):
 * - always: the customer's voice goes to the operator, with the agent's microphone;
 * - listen: the operator's voice reaches nobody;
 * - whisper: the operator's voice is played to the agent only;
 * - barge: it also goes to the customer.
 * Mode changes are gain and mute changes only (no renegotiation), so they are heard at once.
 * Everything a person hears comes out of <audio> elements, never the AudioContext's destination.
 */
export class MonitorMix {
  private readonly options: MonitorMixOptions;
  private readonly customerSource: MediaStreamAudioSourceNode;
  private readonly operatorSource: MediaStreamAudioSourceNode;
  private readonly bargeGain: GainNode;
  private readonly removals: (() => void)[] = [];
  private disposed = false;

  constructor(options: MonitorMixOptions, mode: MonitorMode) {
    this.options = options;
    const { context } = options;
    this.customerSource = context.createMediaStreamSource(options.customer);
    this.operatorSource = context.createMediaStreamSource(options.operator);
    this.bargeGain = context.createGain();
    this.bargeGain.gain.value = 0;
    this.operatorSource.connect(this.bargeGain);
    const toOperator = options.toOperator(this.customerSource);
    const toCustomer = options.toCustomer(this.bargeGain);
    if (toOperator) this.removals.push(toOperator);
    if (toCustomer) this.removals.push(toCustomer);
    this.setMode(mode);
  }

  setMode(mode: MonitorMode): void {
    if (this.disposed) return;
    this.bargeGain.gain.value = mode === 'barge' ? 1 : 0;
    this.options.playOperatorToAgent(mode !== 'listen');
  }

  /** Takes the monitor session out: the monitored call sends the agent's microphone only again. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const remove of this.removals.splice(0)) remove();
    this.bargeGain.gain.value = 0;
    this.customerSource.disconnect();
    this.operatorSource.disconnect();
    this.bargeGain.disconnect();
    this.options.playOperatorToAgent(false);
  }
}
