import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient, isUnauthenticated } from '../lib/api-client';
import { queryRoots } from '../lib/query-keys';
import { meSchema } from '../../contracts/users';
import type { Me } from '../../contracts/users';
import { sessionStateSchema, type SignIn } from '../../contracts/session';

export const meQueryKey = [queryRoots.me] as const;

/** The sign-out mutation's key: while it runs, nothing may refresh (the session is ending). */
export const signOutMutationKey = ['session', 'sign-out'] as const;

/**
 * The signed-in user, or `null` when nobody is. `GET /api/session` answers both with 200, so a
 * visit to the sign-in page logs no failed request in the browser's console.
 */
export async function fetchMe(signal?: AbortSignal): Promise<Me | null> {
  const state = await apiClient.get('/api/session', {
    schema: sessionStateSchema,
    ...(signal ? { signal } : {}),
  });
  return state.me;
}

export const sessionQueries = {
  me: () =>
    queryOptions({
      queryKey: meQueryKey,
      queryFn: ({ signal }) => fetchMe(signal),
    }),
};

/** Signs in; on success the app holds the new user and nothing loaded for anyone before. */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: SignIn) =>
      apiClient.post('/api/session', { body: credentials, schema: meSchema }),
    meta: { unauthenticatedIsExpected: true },
    onSuccess(me) {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
      queryClient.setQueryData(meQueryKey, me);
    },
  });
}

/** Signs out; the session query turns to `null` first (so the shell unmounts), then the cache is emptied. */
export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: signOutMutationKey,
    mutationFn: () => apiClient.delete('/api/session'),
    // Nothing may go on asking for data the ending session can no longer read.
    onMutate: () => queryClient.cancelQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] }),
    // A 401 means the session had already ended: signed out either way.
    meta: { unauthenticatedIsExpected: true },
    onSettled(_data, error) {
      if (error && !isUnauthenticated(error)) return;
      queryClient.setQueryData(meQueryKey, null);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
    },
  });
}
