import type { Seat } from '../../contracts/sip';

/** What the HTTP API may ask of the SIP edge: the seats panel and dropping registrations. */
export type SipControl = {
  /** Registered devices, oldest first. */
  listSeats(): Seat[];
  /** Drops one registration and closes its connection when nothing else is on it. */
  dropSeat(id: string): Seat | null;
  /** Drops every registration of a user (deleted, or moved to another profile). */
  dropUser(userId: number): void;
};

/** For an app built without an edge (API tests): nobody is registered. */
export const noSipControl: SipControl = {
  listSeats: () => [],
  dropSeat: () => null,
  dropUser: () => undefined,
};
