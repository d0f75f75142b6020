import type { DbOrTx } from '../../store/database';
import { getOrCreateSetting, newSecret } from '../../store/settings-repository';

/** The settings key of the secret the short-lived web-session SIP credentials are signed with. */
export const SIP_CREDENTIAL_SECRET_KEY = 'sip_credential_secret';

/** Created once, on first use, and kept in the database so restarts keep issued credentials valid. */
export function loadCredentialSecret(db: DbOrTx): Promise<string> {
  return getOrCreateSetting(db, SIP_CREDENTIAL_SECRET_KEY, newSecret);
}
