import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { failureMessage } from '../lib/toast-provider';

type QueryStateProps<T> = {
  query: UseQueryResult<T>;
  /** "profiles", for "Loading profiles…". */
  what: string;
  children: (data: T) => ReactNode;
};

/** Loading, failed (with the server's message and a retry) or the data. */
export function QueryState<T>({ query, what, children }: QueryStateProps<T>) {
  if (query.isPending)
    return (
      <p role="status" className="loading-line">
        <span className="spinner" aria-hidden="true" />
        Loading {what}…
      </p>
    );
  if (query.isError)
    return (
      <div role="alert" className="panel-error">
        <p>
          The {what} could not be loaded: {failureMessage(query.error)}
        </p>
        <button type="button" className="button button-secondary" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  return <>{children(query.data)}</>;
}
