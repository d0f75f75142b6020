/**
 * What the SIP edge knows right now about each profile: registered seats and calls in progress.
 * The HTTP API reads it for the profiles list; the edge implements it.
 */
export type LiveCounts = {
  seatsInUse(profileId: number): number;
  channelsInUse(profileId: number): number;
};

export const noLiveCounts: LiveCounts = {
  seatsInUse: () => 0,
  channelsInUse: () => 0,
};
