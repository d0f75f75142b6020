import type { MonitorMode } from '../../contracts/calls';
import type { Seat } from '../../contracts/sip';

/** A party of a live call; `userId` is null for a customer on a trunk call. */
export type LiveParty = { userId: number | null; username: string; displayName: string; extension: string };

/** A live call (or monitor session) as the edge tracks it, for the operator panel. */
export type LiveDialog = {
  id: string;
  /** The SIP Call-ID the phones know the call by (as on its call record). */
  callId: string;
  state: 'trying' | 'ringing' | 'answered';
  startedAt: Date;
  answeredAt: Date | null;
  caller: LiveParty;
  callee: LiveParty;
  /** Set on a monitor session: the call it monitors, and the mode now. */
  monitor: { targetId: string; mode: MonitorMode } | null;
};

/** One live registration of a user's phone, for the devices page. */
export type PhoneRegistration = {
  /** The desk phone (device credentials) it is; null: a browser, or a phone with the user's own credentials. */
  deviceId: number | null;
  transport: string;
  remoteAddress: string;
  userAgent: string | null;
  since: string;
  expiresAt: string;
};

/** What the HTTP API may ask of the SIP edge: seats, live calls, dropping registrations. */
export type SipControl = {
  /** Registered devices, oldest first. */
  listSeats(): Seat[];
  /** Drops one registration and closes its connection when nothing else is on it. */
  dropSeat(id: string): Seat | null;
  /** Why a seat cannot be dropped from the console (a sentence for a 409), or null when it can; absent: every seat can. */
  dropRefusal?(id: string): string | null;
  /** Drops every registration of a user (deleted, or moved to another profile). */
  dropUser(userId: number): void;
  /** Calls and monitor sessions not yet ended. */
  liveDialogs(): LiveDialog[];
  /** Whether the user has a registered phone, and whether one of them can mix monitor sessions. */
  phonesOf(userId: number): { registered: boolean; canMix: boolean };
  /** A user's live registrations, oldest first, each with the device it is. */
  registrationsOf(userId: number): PhoneRegistration[];
  /** Drops the registrations of a removed desk phone. */
  dropDevice(deviceId: number): void;
  /** The UDP and TCP ports SIP listens on (null before it listens, or without an edge). */
  listeningPorts(): { udp: number | null; tcp: number | null } | null;
  /**
   * Resolves once the live calls and phones hold every change announced so far (Kamailio's are
   * read from PostgreSQL after the event); absent: they always do.
   */
  settled?(): Promise<void>;
};

/** For an app built without an edge (API tests): nobody is registered. */
export const noSipControl: SipControl = {
  listSeats: () => [],
  dropSeat: () => null,
  dropUser: () => undefined,
  liveDialogs: () => [],
  phonesOf: () => ({ registered: false, canMix: false }),
  registrationsOf: () => [],
  dropDevice: () => undefined,
  listeningPorts: () => null,
};
