/** Where the phone is with the SIP edge, like sip.js's own state enums. */
export enum PhoneState {
  /** Not started, or stopped (signed out). */
  Stopped = 'Stopped',
  /** Fetching credentials, opening the WebSocket, sending REGISTER. */
  Connecting = 'Connecting',
  /** Registered: calls can come in and go out. */
  Registered = 'Registered',
  /** The connection dropped; the next try is scheduled (see `nextAttemptAt`). */
  Reconnecting = 'Reconnecting',
  /** The edge refused the phone; trying again will not help until something changes. */
  Failed = 'Failed',
}

/** Where one call is. */
export enum CallState {
  /** Outgoing: INVITE sent, nothing back yet. */
  Dialing = 'Dialing',
  /** Outgoing: the other phone rings (180/183). */
  Ringing = 'Ringing',
  /** Incoming: this phone rings. */
  Incoming = 'Incoming',
  /** Answered, media being set up. */
  Connecting = 'Connecting',
  Established = 'Established',
  Ended = 'Ended',
}

/** Where one monitor session (listen, whisper, barge) is, on either side. */
export enum MonitorState {
  /** Monitoring: INVITE sent, not answered yet. Monitored: being answered. */
  Starting = 'Starting',
  Active = 'Active',
  Ended = 'Ended',
}
