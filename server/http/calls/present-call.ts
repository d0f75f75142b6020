import type { CallDirection, CallRecord, Monitoring } from '../../../contracts/calls';
import type { CallListPrivacy } from '../../../contracts/users';
import { presentNumber } from '../../../contracts/policy/call-list-privacy';
import type { CallRow } from '../../store/calls-repository';
import type { RecordingSummary } from '../../../contracts/recordings';
import { currencyDigits, formatMinorUnits } from '../../../contracts/money';

export type PrivacyOf = (userId: number | null) => CallListPrivacy;

/**
 * Each participant's call-list privacy covers the party they talked to: the number a user
 * dialled is shown under the caller's privacy, the number that called under the callee's. A
 * trunk call's customer number is the agent's other party alike: the caller's privacy on an
 * outbound call, the callee's on an inbound one.
 */
export function presentCall(
  row: CallRow,
  privacyOf: PrivacyOf,
  recordings: RecordingSummary[] = [],
): CallRecord {
  return {
    id: row.id,
    callId: row.callId,
    from: presentNumber(row.fromUri, privacyOf(row.toUserId)),
    fromName: privacyOf(row.toUserId) === 'none' ? null : row.fromName,
    fromUserId: row.fromUserId,
    to: presentNumber(row.toUri, privacyOf(row.fromUserId)),
    toName: privacyOf(row.fromUserId) === 'none' ? null : row.toName,
    toUserId: row.toUserId,
    callerProfile: row.callerProfile,
    calleeProfile: row.calleeProfile,
    startedAt: row.startedAt.toISOString(),
    answeredAt: row.answeredAt?.toISOString() ?? null,
    endedAt: row.endedAt?.toISOString() ?? null,
    disposition: row.disposition,
    reason: row.reason,
    monitoring: row.monitoring as Monitoring[],
    direction: row.direction as CallDirection,
    number:
      row.number === null
        ? null
        : presentNumber(row.number, privacyOf(row.direction === 'inbound' ? row.toUserId : row.fromUserId)),
    trunk: row.trunk,
    charge:
      row.chargeMinor === null || row.chargeCurrency === null
        ? null
        : {
            amount: formatMinorUnits(Number(row.chargeMinor), currencyDigits(row.chargeCurrency)),
            currency: row.chargeCurrency,
          },
    recordings,
  };
}
