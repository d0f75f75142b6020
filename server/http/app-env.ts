import type { Config } from '../config';
import type { SignInLimiter } from '../auth/sign-in-limiter';
import type { EventBus } from '../events/event-bus';
import type { LiveCounts } from '../events/live-counts';
import type { Logger } from '../log';
import type { SipControl } from '../sip/sip-control';
import type { Db } from '../store/database';
import type { UserRow } from '../store/users-repository';
import type { Flag } from '../../contracts/profiles';

/** What every handler can reach: built once by the app factory. */
export type Deps = {
  config: Config;
  db: Db;
  events: EventBus;
  live: LiveCounts;
  limiter: SignInLimiter;
  log: Logger;
  /** The SIP edge's seats (registrations); a no-op without an edge. */
  sip: SipControl;
};

export type SignedIn = {
  user: UserRow;
  profile: {
    id: number;
    name: string;
    flags: Flag[];
    bargeGroup: string | null;
    monitorNotice: boolean;
  } | null;
  tokenHash: string;
};

export type AppEnv = {
  Variables: {
    deps: Deps;
    signedIn: SignedIn | undefined;
  };
};
