/** How often each trunk is sent OPTIONS (its keep-alive and the status the console shows). */
export const TRUNK_OPTIONS_INTERVAL_MS = 30_000;

/** How long an OPTIONS may go unanswered before the trunk counts as down. */
export const TRUNK_OPTIONS_TIMEOUT_MS = 5_000;

/** How often a trunk's host name is looked up again. */
export const TRUNK_DNS_REFRESH_MS = 5 * 60_000;

/** The registration lifetime the edge asks a carrier for, in seconds. */
export const TRUNK_REGISTER_EXPIRES_S = 300;

/** The timings of trunk links; tests shorten them. */
export interface TrunkTiming {
  optionsIntervalMs: number;
  optionsTimeoutMs: number;
  dnsRefreshMs: number;
  registerExpiresS: number;
  /** After a failed registration the next try waits this long, doubling up to the maximum. */
  backoffMinMs: number;
  backoffMaxMs: number;
  /** How long closing waits for the carrier to answer the un-REGISTER. */
  unregisterWaitMs: number;
}

export const defaultTrunkTiming: TrunkTiming = {
  optionsIntervalMs: TRUNK_OPTIONS_INTERVAL_MS,
  optionsTimeoutMs: TRUNK_OPTIONS_TIMEOUT_MS,
  dnsRefreshMs: TRUNK_DNS_REFRESH_MS,
  registerExpiresS: TRUNK_REGISTER_EXPIRES_S,
  backoffMinMs: 5_000,
  backoffMaxMs: 5 * 60_000,
  unregisterWaitMs: 2_000,
};

/** A duration in a sentence: `5 s`, `0.5 s`. */
export function secondsText(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
