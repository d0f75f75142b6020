import type { EdgeContext } from '../edge-context';
import type { InviteClientTransaction } from '../transaction/client-transaction';
import { bestFinalStatus } from './call-outcome';

/**
 * One phone's INVITE while a call rings several phones at once (a fork, RFC 3261 16.7): the
 * proxy's forks and the bridge's rings keep each phone as one, so that when and how a branch is
 * cancelled is decided in one place (CANCEL only after a provisional answer, RFC 3261 9.1).
 */
export interface ForkBranch {
  transaction: InviteClientTransaction | null;
  /** A provisional answer came: a CANCEL may be sent now. */
  provisional: boolean;
  /** Its final answer came (or it failed). */
  done: boolean;
  status: number | null;
  cancelWanted: boolean;
  cancelSent: boolean;
  /** The Reason header of its CANCEL (another phone answered). */
  cancelReason?: string;
}

/** A branch not yet sent, with the caller's own fields (the phone it rings). */
export function forkBranch<T extends object>(fields: T): T & ForkBranch {
  return {
    ...fields,
    transaction: null,
    provisional: false,
    done: false,
    status: null,
    cancelWanted: false,
    cancelSent: false,
  };
}

/**
 * Cancels a branch, `reason` as its CANCEL's Reason header: at once if the phone answered
 * provisionally, otherwise when it does (the caller calls again from its provisional handler).
 */
export function cancelBranch(context: EdgeContext, branch: ForkBranch, reason?: string): void {
  branch.cancelWanted = true;
  if (reason) branch.cancelReason = reason;
  if (branch.cancelSent || !branch.provisional || !branch.transaction) return;
  branch.cancelSent = true;
  try {
    context.layer.cancel(branch.transaction, {}, branch.cancelReason);
  } catch (error) {
    context.log.warn('SIP edge: could not send CANCEL', error);
  }
}

/** Cancels every branch still ringing (see cancelBranch). */
export function cancelRinging(context: EdgeContext, branches: readonly ForkBranch[], reason?: string): void {
  for (const branch of branches) if (!branch.done) cancelBranch(context, branch, reason);
}

/** The fork's outcome once every branch failed (RFC 3261 16.7's best answer); null while one still rings. */
export function forkOutcome(branches: readonly ForkBranch[]): number | null {
  if (branches.some((b) => !b.done)) return null;
  return bestFinalStatus(branches.map((b) => b.status ?? 480));
}
