import { useState } from 'react';

/**
 * The page a paged screen shows, back to the first whenever its filters change (a new object:
 * keep them in a `useMemo`), so a narrower filter never asks for a page past its end.
 */
export function usePageIndex(filters: object) {
  const [pageIndex, setPageIndex] = useState(0);
  const [seenFilters, setSeenFilters] = useState(filters);
  if (seenFilters !== filters) {
    setSeenFilters(filters);
    setPageIndex(0);
  }
  return [pageIndex, setPageIndex] as const;
}
