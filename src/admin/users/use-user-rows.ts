import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { User } from '../../../contracts/users';
import type { RowRange } from '../../lib/virtual-table';
import { userQueries, USERS_PAGE_SIZE, type UserFilters } from './user-queries';

/**
 * The users table's rows, fetched page by page for what is on screen: the first page says how
 * many match; scrolling far down asks only for the pages there, never for everything between.
 */
export function useUserRows(filters: UserFilters) {
  const first = useQuery(userQueries.firstPage(filters));
  const [range, setRange] = useState<RowRange>({ start: 0, end: 0 });

  const pageIndexes: number[] = [];
  if (range.end > range.start) {
    const last = Math.floor((range.end - 1) / USERS_PAGE_SIZE);
    for (let index = Math.max(1, Math.floor(range.start / USERS_PAGE_SIZE)); index <= last; index += 1)
      pageIndexes.push(index);
  }
  const pages = useQueries({ queries: pageIndexes.map((index) => userQueries.page(filters, index)) });

  function userAt(index: number): User | undefined {
    const pageIndex = Math.floor(index / USERS_PAGE_SIZE);
    const page = pageIndex === 0 ? first.data : pages[pageIndexes.indexOf(pageIndex)]?.data;
    return page?.items[index - pageIndex * USERS_PAGE_SIZE];
  }

  return {
    first,
    total: first.data?.total ?? 0,
    /** True while the rows shown are the previous filter's answer. */
    stale: first.isPlaceholderData,
    userAt,
    setRange,
  };
}
