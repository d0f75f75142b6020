import type { SipAccount } from '../../store/sip-accounts-repository';

/**
 * Where the edge finds users: the server's in-memory directory (server/directory), so that
 * no SIP request waits for the database. Defined here, below its users, as SIP.js core
 * defines the delegates it calls.
 */
export interface AccountLookup {
  byUsername(username: string): Promise<SipAccount | null>;
  /**
   * The account at once when memory holds it and no reload is running (a phone refreshing its
   * registration); undefined when only byUsername can say (a reload, a name not in memory).
   */
  byUsernameNow(username: string): SipAccount | undefined;
  byExtension(extension: string): Promise<SipAccount | null>;
  byId(userId: number): Promise<SipAccount | null>;
  /** Whether the user belongs to the group of that name. */
  isMember(group: string, userId: number): Promise<boolean>;
}

/** The web sessions the edge asks about (monitoring is a console feature). */
export interface WebSessions {
  /** Whether the user is signed in to the web app anywhere now. */
  hasLiveSession(userId: number): Promise<boolean>;
}
