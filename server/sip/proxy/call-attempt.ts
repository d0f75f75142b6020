/**
 * One attempt of an INVITE the edge holds (a queue's offer to one agent): its phones ring for
 * `ringMs`, and instead of answering the caller with a failure the attempt reports it, so the
 * holder can try someone else. A CANCEL or the caller leaving is the holder's to handle.
 */
export interface AttemptHooks {
  ringMs: number;
  /**
   * A phone answered: true takes the call (the 200 goes on to the caller); false means it is no
   * longer to be had, and the edge ACKs and hangs up that phone.
   */
  claim(userId: number): boolean;
  /** Every phone failed, declined or rang out (the edge cancelled them); the caller still waits. */
  unanswered(status: number): void;
}

/** A running attempt: `withdraw` stops its phones ringing (CANCEL) without a word to the caller. */
export interface Attempt {
  withdraw(): void;
}
