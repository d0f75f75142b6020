/**
 * What the agent's phone shows when the carrier refuses a call to a number: one sentence, sent
 * as the reason phrase of the status the carrier gave (the phone shows the phrase).
 */
export function refusalSentence(e164: string, status: number, reason: string): string {
  switch (status) {
    case 486:
    case 600:
      return `${e164} is busy`;
    case 404:
    case 410:
    case 604:
      return `${e164} does not exist`;
    case 484:
      return `The number ${e164} is incomplete`;
    case 480:
      return `${e164} is not available now`;
    case 603:
      return `${e164} declined the call`;
    case 488:
    case 606:
      return `The carrier could not agree on audio for the call to ${e164}`;
    default:
      return `The carrier refused the call to ${e164} (${status} ${reason.trim() || 'without a reason'})`;
  }
}

/**
 * Whether a carrier's answer means "this trunk cannot carry it now, try the next" (failover):
 * a server error or a timeout, as opposed to an answer about the number itself.
 */
export function triesNextTrunk(status: number): boolean {
  return status === 408 || (status >= 500 && status < 600);
}

/** How one trunk failed, for the sentence after every trunk failed. */
export function trunkFailure(trunkName: string, status: number | null, reason: string): string {
  return status === null ? `${trunkName}: ${reason}` : `${trunkName}: ${status} ${reason.trim()}`.trim();
}
