import type { Dispatch, SetStateAction } from 'react';

type PagerProps = {
  /** The page the server sent: where it starts, its rows, and how many there are in all. */
  page: { offset: number; items: readonly unknown[]; total: number };
  /** "calls", for "21–40 of 120 calls". */
  what: string;
  /** The screen's page index, which the buttons step back and on. */
  setPageIndex: Dispatch<SetStateAction<number>>;
};

/** "21–40 of 120 calls" with Previous / Next. */
export function Pager({ page, what, setPageIndex }: PagerProps) {
  const { offset, total } = page;
  const first = total === 0 ? 0 : offset + 1;
  const last = offset + page.items.length;
  return (
    <nav className="pager" aria-label={`Pages of ${what}`}>
      <p role="status">
        {first}–{last} of {total.toLocaleString()} {what}
      </p>
      <div className="pager-buttons">
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={offset === 0}
          onClick={() => setPageIndex((index) => Math.max(0, index - 1))}
        >
          Previous page
        </button>
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={last >= total}
          onClick={() => setPageIndex((index) => index + 1)}
        >
          Next page
        </button>
      </div>
    </nav>
  );
}
