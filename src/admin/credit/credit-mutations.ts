import { useMutation } from '@tanstack/react-query';
import { creditAccountSchema, type AccountAdjustment } from '../../../contracts/credit';
import { apiErrorSchema } from '../../../contracts/errors';
import { rateImportResultSchema, type RateImportResult } from '../../../contracts/rates';
import { apiClient, ApiRequestError } from '../../lib/api-client';

// The account, the profiles' credit and the rates refresh through the credit and rate live
// events the server publishes for each change (useLiveEvents), this client's as everyone's.

/** Money paid into the account, or taken out of its unallocated balance (admins). */
export function useAdjustAccount() {
  return useMutation({
    mutationFn: (input: AccountAdjustment) =>
      apiClient.post('/api/credit/adjustments', { body: input, schema: creditAccountSchema }),
  });
}

/** Credit moved from the account to a profile (`allocate`) or back (`take-back`). */
export function useMoveCredit() {
  return useMutation({
    mutationFn: ({
      profileId,
      direction,
      amount,
    }: {
      profileId: number;
      direction: 'allocate' | 'take-back';
      amount: string;
    }) =>
      apiClient.post(`/api/credit/profiles/${profileId}/${direction}`, {
        body: { amount },
        schema: creditAccountSchema,
      }),
  });
}

/** Replaces the rate table with a CSV file; a refusal names each bad line (ApiRequestError fields). */
export function useImportRates() {
  return useMutation({
    mutationFn: async (csv: string): Promise<RateImportResult> => {
      const response = await fetch('/api/rates/import.csv', {
        method: 'PUT',
        headers: { 'Content-Type': 'text/csv', Accept: 'application/json' },
        credentials: 'same-origin',
        body: csv,
      });
      const body: unknown = await response.json().catch(() => undefined);
      if (!response.ok) {
        const parsed = apiErrorSchema.safeParse(body);
        throw new ApiRequestError({
          status: response.status,
          code: parsed.success ? parsed.data.error.code : 'internal',
          message: parsed.success ? parsed.data.error.message : `The server answered ${response.status}.`,
          fields: parsed.success ? parsed.data.error.fields : undefined,
        });
      }
      return rateImportResultSchema.parse(body);
    },
  });
}
