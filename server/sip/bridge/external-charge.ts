import type { CallCharging, ChargedCallPort } from '../../billing/call-charging';
import type { Logger } from '../../log';
import { canCallNumber } from '../../../contracts/policy/outbound-dialing';
import { setCallCharge } from '../../store/credit-repository';
import type { Db } from '../../store/database';
import type { ExternalNumberRecord } from '../../store/devices-repository';
import type { SipAccount } from '../../store/sip-accounts-repository';
import type { EdgeContext } from '../edge-context';
import type { CallRecordHandle } from '../records/call-recorder';
import type { TrunkConfig } from '../trunks/trunk-config';
import type { ExternalBridge } from './external-bridge';

/**
 * Why an external number may not be rung for this user now, or null: the profile's outbound
 * policy (`external` for a national number, `international` for a foreign one), a trunk route,
 * and a first increment the profile's credit can pay.
 */
export async function externalRefusal(
  charging: CallCharging,
  context: EdgeContext,
  account: SipAccount,
  e164: string,
  routes: readonly TrunkConfig[],
): Promise<string | null> {
  const { profile } = account;
  const national = e164.startsWith(`+${context.config.defaultCountryCode}`);
  const decision = canCallNumber(profile, { e164, scope: national ? 'national' : 'international' });
  if (!decision.allowed) return decision.reason;
  if (routes.length === 0) return `no trunk routes ${e164}`;
  const price = await charging.admit(profile?.id ?? null, e164);
  return price.allowed ? null : price.reason;
}

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

/**
 * The mobile's leg is an outbound trunk call of the callee's, so it has a record of its own
 * (from the callee, to the number, over the trunk that carried it), answered now; the caller's
 * call keeps its own record.
 */
export function startExternalRecord(
  context: EdgeContext,
  account: SipAccount,
  number: ExternalNumberRecord,
  callId: string,
  trunk: TrunkConfig | null,
): CallRecordHandle {
  const record = context.recorder.start({
    callId,
    fromUri: `sip:${account.extension}@${context.config.sipDomain}`,
    fromName: account.displayName,
    fromUserId: account.userId,
    toUri: `tel:${number.number}`,
    toName: number.name,
    toUserId: null,
    callerProfileId: account.profile?.id ?? null,
    callerProfile: account.profile?.name ?? null,
    calleeProfileId: null,
    calleeProfile: null,
    direction: 'outbound',
    number: number.number,
    trunk: trunk?.name ?? null,
  });
  record.answered();
  return record;
}
