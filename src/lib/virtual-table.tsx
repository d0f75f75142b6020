import { useEffect, useRef, useState } from 'react';
import type { ReactNode, UIEvent } from 'react';

/** Used until the viewport has been measured (and in jsdom, which has no layout). */
const FALLBACK_VIEWPORT_PX = 480;

export type RowRange = { start: number; end: number };

/** The rows to render for a scroll position: what is visible, plus `overscan` either side. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  rowCount: number,
  overscan: number,
): RowRange {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(viewportHeight / rowHeight) + 1;
  const start = Math.max(0, Math.min(first - overscan, rowCount));
  const end = Math.min(rowCount, first + visible + overscan);
  return { start, end: Math.max(start, end) };
}

type VirtualTableProps = {
  /** Names the table for assistive technology (a visually hidden caption). */
  caption: string;
  /** The header row: a `<tr>` of `<th scope="col">`. */
  header: ReactNode;
  columnCount: number;
  rowCount: number;
  /** Every row is exactly this tall (CSS must agree), which is what makes windowing cheap. */
  rowHeight: number;
  overscan?: number;
  /** One `<tr>` for a row index; give it `aria-rowindex={index + 2}` (the header is row 1). */
  renderRow: (index: number) => ReactNode;
  /** Tells which rows are on screen, e.g. to load their page. */
  onRangeChange?: (range: RowRange) => void;
  /** When it changes (new filters), the table scrolls back to the top. */
  resetKey?: string;
  className?: string;
};

/**
 * A real `<table>` that renders only the rows in view: spacer rows keep the scroll height of
 * all `rowCount` rows, so 10 000 rows cost the same as 20. `aria-rowcount`/`aria-rowindex`
 * tell assistive technology how big the table really is.
 */
export function VirtualTable({
  caption,
  header,
  columnCount,
  rowCount,
  rowHeight,
  overscan = 6,
  renderRow,
  onRangeChange,
  resetKey,
  className,
}: VirtualTableProps) {
  const viewportRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(FALLBACK_VIEWPORT_PX);

  useEffect(() => {
    const viewport = viewportRef.current;
    if (!viewport || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (viewport.clientHeight > 0) setViewportHeight(viewport.clientHeight);
    });
    observer.observe(viewport);
    return () => observer.disconnect();
  }, []);

  const [seenResetKey, setSeenResetKey] = useState(resetKey);
  if (seenResetKey !== resetKey) {
    setSeenResetKey(resetKey);
    setScrollTop(0);
  }
  useEffect(() => {
    if (viewportRef.current) viewportRef.current.scrollTop = 0;
  }, [resetKey]);

  const range = visibleRange(scrollTop, viewportHeight, rowHeight, rowCount, overscan);
  const { start, end } = range;
  useEffect(() => {
    onRangeChange?.({ start, end });
  }, [start, end, onRangeChange]);

  function handleScroll(event: UIEvent<HTMLDivElement>) {
    setScrollTop(event.currentTarget.scrollTop);
  }

  const rows: ReactNode[] = [];
  for (let index = start; index < end; index += 1) rows.push(renderRow(index));
  const above = start * rowHeight;
  const below = (rowCount - end) * rowHeight;

  return (
    <div
      ref={viewportRef}
      className={['virtual-table', className].filter(Boolean).join(' ')}
      // Scrollable, so keyboard users can scroll it too.
      tabIndex={0}
      onScroll={handleScroll}
      data-rendered-rows={end - start}
    >
      <table aria-rowcount={rowCount + 1}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>{header}</thead>
        <tbody>
          {above > 0 ? (
            <tr className="virtual-spacer" aria-hidden="true" style={{ height: above }}>
              <td colSpan={columnCount} />
            </tr>
          ) : null}
          {rows}
          {below > 0 ? (
            <tr className="virtual-spacer" aria-hidden="true" style={{ height: below }}>
              <td colSpan={columnCount} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
