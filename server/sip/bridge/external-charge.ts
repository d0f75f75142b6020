import type { CallCharging, ChargedCallPort } from '../../billing/call-charging';
import type { Logger } from '../../log';
import { setCallCharge } from '../../store/credit-repository';
import type { Db } from '../../store/database';
import type { CallRecordHandle } from '../records/call-recorder';
import type { ExternalBridge } from './external-bridge';

/**
 * A call answered on an external number is priced by the rate table like an outbound trunk call
 * to that number and charged to the callee's profile, per increment from the answer, on the
 * mobile leg's own record; when the credit cannot pay the next increment both legs get BYE.
 */
export async function chargeExternal(
  charging: CallCharging,
  bridge: ExternalBridge,
  record: CallRecordHandle,
  e164: string,
): Promise<void> {
  const profileId = bridge.dialog.calleeProfileId;
  if (profileId === null || bridge.ended) return;
  const price = await charging.admit(profileId, e164);
  if (!price.allowed || !price.rate || bridge.ended) return;
  charging.reserve(record, {
    callId: bridge.mobile.callId,
    profileId,
    number: e164,
    rate: price.rate,
    currency: price.rate.currency,
  });
  const port: ChargedCallPort = {
    endForCredit: (sentence) => {
      const reason = `SIP;cause=402;text="${sentence.replace(/"/g, '')}"`;
      bridge.end({ reason: sentence, byeCaller: reason, byeMobile: reason });
    },
    // A mobile shows no notice from the edge: the call simply ends when the credit does.
    notify: () => undefined,
  };
  charging.answered(record, port);
}

/** The mobile leg's record finished and its charge settled and written on it. */
export function settleExternal(
  charging: CallCharging,
  db: Db,
  log: Logger,
  record: CallRecordHandle,
  reason: string,
): void {
  record.finish('answered', reason);
  void charging
    .ended(record)
    .then((charge) => charge && record.after((id) => setCallCharge(db, id, charge)))
    .catch((error: unknown) => log.error('SIP edge: could not settle a call charge', error));
}
