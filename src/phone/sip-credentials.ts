import { sipCredentialsSchema } from '../../contracts/sip';
import type { SipCredentials } from '../../contracts/sip';
import { apiClient, isApiRequestError } from '../lib/api-client';
import { asSentence } from '../lib/sentence';
import { PermanentPhoneFailure } from './sip/phone-failures';

/**
 * Short-lived SIP credentials for this signed-in session: the phone registers with these, so the
 * person's password never stays in the browser. Refusals that trying again cannot fix become a
 * PermanentPhoneFailure with the server's sentence; anything else (network, 5xx) is retried.
 */
export async function fetchSipCredentials(): Promise<SipCredentials> {
  try {
    return await apiClient.get('/api/sip/credentials', { schema: sipCredentialsSchema });
  } catch (error) {
    if (isApiRequestError(error)) {
      if (error.status === 401)
        throw new PermanentPhoneFailure('You are signed out. Sign in again to use the phone.');
      if (error.status >= 400 && error.status < 500 && error.status !== 429)
        throw new PermanentPhoneFailure(asSentence(error.message));
    }
    throw error;
  }
}
