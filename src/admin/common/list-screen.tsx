import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { QueryState } from '../query-state';

/** A list as the API gives it: the items, or an object holding them with more beside. */
type ListData = readonly unknown[] | { items: readonly unknown[] };

type ListScreenProps<T extends ListData> = {
  query: UseQueryResult<T>;
  /** "trunks", for "Loading trunks…". */
  what: string;
  /** The toolbar's button that opens the create form: "New trunk". */
  createLabel: string;
  onCreate: () => void;
  /** What to say, and what to do, while there is nothing in the list. */
  empty: string;
  /** Shown above the toolbar, e.g. a notice about the whole list. */
  notice?: ReactNode;
  /** The table, given the loaded list when it is not empty. */
  list: (data: T) => ReactNode;
  /** The screen's dialogs. */
  children?: ReactNode;
};

function itemCount(data: ListData): number {
  return 'items' in data ? data.items.length : data.length;
}

/**
 * A console screen for one kind of record: a button to create one, then the list (loading,
 * failed, empty with what to do, or the table), then whatever dialog is open.
 */
export function ListScreen<T extends ListData>({
  query,
  what,
  createLabel,
  onCreate,
  empty,
  notice,
  list,
  children,
}: ListScreenProps<T>) {
  return (
    <div className="screen">
      {notice}
      <div className="screen-toolbar">
        <button type="button" className="button button-primary" onClick={onCreate}>
          {createLabel}
        </button>
      </div>
      <QueryState query={query} what={what}>
        {(data) => (itemCount(data) === 0 ? <p className="empty-state">{empty}</p> : list(data))}
      </QueryState>
      {children}
    </div>
  );
}
