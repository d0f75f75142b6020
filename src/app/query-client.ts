import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiRequestError, isUnauthenticated } from '../lib/api-client';
import { meQueryKey } from './session-queries';

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: {
      /** A 401 from this mutation is its own answer (wrong password), not an ended session. */
      unauthenticatedIsExpected?: boolean;
    };
  }
}

type QueryClientOptions = {
  /** Tests pass `false`; the app retries server and network failures, never 4xx answers. */
  retry?: false;
};

const MAX_RETRIES = 2;

function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= MAX_RETRIES) return false;
  if (!isApiRequestError(error)) return false;
  return error.status === 0 || error.status >= 500;
}

/**
 * One client per app instance (and per test). A 401 from any query or mutation means the
 * session has ended: the app forgets the user and everything it loaded, and shows sign-in.
 */
export function createQueryClient(options: QueryClientOptions = {}): QueryClient {
  function sessionEnded() {
    // A session check still in flight must not bring the user back.
    void client.cancelQueries({ queryKey: meQueryKey }).then(() => {
      client.setQueryData(meQueryKey, null);
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
    });
  }

  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError(error, query) {
        if (isUnauthenticated(error) && query.queryKey[0] !== meQueryKey[0]) sessionEnded();
      },
    }),
    mutationCache: new MutationCache({
      onError(error, _variables, _context, mutation) {
        if (isUnauthenticated(error) && !mutation.meta?.unauthenticatedIsExpected) sessionEnded();
      },
    }),
    defaultOptions: {
      queries: {
        retry: options.retry ?? shouldRetry,
        staleTime: 30_000,
      },
      mutations: { retry: false },
    },
  });
  return client;
}
