type PagerProps = {
  offset: number;
  count: number;
  total: number;
  what: string;
  onPrevious: () => void;
  onNext: () => void;
};

/** "21–40 of 120 calls" with Previous / Next. */
export function Pager({ offset, count, total, what, onPrevious, onNext }: PagerProps) {
  const first = total === 0 ? 0 : offset + 1;
  const last = offset + count;
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
          onClick={onPrevious}
        >
          Previous page
        </button>
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={last >= total}
          onClick={onNext}
        >
          Next page
        </button>
      </div>
    </nav>
  );
}
