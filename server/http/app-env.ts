import type { Config } from '../config';
import type { SessionCache } from '../auth/session-cache';
import type { ContactCenter } from '../contact-center/contact-center';
import type { SecretBox } from '../auth/secret-box';
import type { SignInLimiter } from '../auth/sign-in-limiter';
import type { Directory, DirectoryPerson } from '../directory/directory';
import type { EventBus } from '../events/event-bus';
import type { LiveCounts } from '../events/live-counts';
import type { EventStreamLimits } from './events/stream-limits';
import type { Logger } from '../log';
import type { MediaBridgeStatus } from '../media/media-bridge';
import type { RecordingService } from '../recordings/recording-service';
import type { Relay } from '../relay/relay';
import type { SipControl } from '../sip/sip-control';
import type { TrunkStatusBoard } from '../sip/trunks/trunk-config';
import type { Db } from '../store/database';

/** What every handler can reach: built once by the app factory. */
export type Deps = {
  config: Config;
  db: Db;
  events: EventBus;
  live: LiveCounts;
  limiter: SignInLimiter;
  /** Users, profiles and memberships in memory (shared with the SIP edge). */
  directory: Directory;
  /** Web sessions by token hash, in memory. */
  sessions: SessionCache;
  /** Caps on open `/api/events` streams per session and per address. */
  eventStreams: EventStreamLimits;
  log: Logger;
  /** The SIP edge's seats (registrations); a no-op without an edge. */
  sip: SipControl;
  /** The TURN relay handed to the phones (none unless configured). */
  relay: Relay;
  /** Seals and opens trunk passwords (key in `settings`). */
  trunkSecrets: SecretBox;
  /** The edge's live trunk status; none without trunk links (every trunk then `unknown`). */
  trunkStatus: TrunkStatusBoard | undefined;
  /** The media bridge's state for the Trunks screen; none: trunk calls have no media. */
  media: { status(): MediaBridgeStatus } | undefined;
  /** Agent states (the queue engine's AgentBoard), their history, the queue call log, callers waiting. */
  contactCenter: ContactCenter;
  /** Call recordings: their store, finishing them when calls end, retention. */
  recordings: RecordingService;
};

/** The request's signed-in person: their session's user and profile, and the session's token hash. */
export type SignedIn = DirectoryPerson & { tokenHash: string };

export type AppEnv = {
  Variables: {
    deps: Deps;
    signedIn: SignedIn | undefined;
  };
};
