/** RFC 3261 timer bases, in milliseconds (section 17.1.1.1 and table 4). */
export interface TimerConfig {
  /** RTT estimate; retransmissions start here. */
  t1: number;
  /** Longest retransmit interval for non-INVITE requests and INVITE responses. */
  t2: number;
  /** Longest time a message stays in the network. */
  t4: number;
  /** Timer D, the wait for response retransmissions after a non-2xx (unreliable). */
  timerD: number;
  /** How long an INVITE server transaction waits for the TU before sending 100 Trying. */
  tryingDelay: number;
}

export const defaultTimerConfig: TimerConfig = {
  t1: 500,
  t2: 4000,
  t4: 5000,
  timerD: 32_000,
  tryingDelay: 200,
};

/** Durations derived from the bases; the wait timers are zero on reliable transports. */
export function timerDurations(config: TimerConfig, reliable: boolean) {
  const sixtyFourT1 = 64 * config.t1;
  return {
    B: sixtyFourT1,
    D: reliable ? 0 : config.timerD,
    F: sixtyFourT1,
    H: sixtyFourT1,
    I: reliable ? 0 : config.t4,
    J: reliable ? 0 : sixtyFourT1,
    K: reliable ? 0 : config.t4,
    L: sixtyFourT1,
    M: sixtyFourT1,
  };
}
