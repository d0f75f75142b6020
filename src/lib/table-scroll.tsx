import type { ReactNode } from 'react';

type TableScrollProps = {
  /** Names the scroll box for assistive technology, e.g. "SIP profiles table". */
  label: string;
  /** One `<table className="data-table">`. */
  children: ReactNode;
};

/**
 * The box a table scrolls sideways in when its card is narrower than the table: the first
 * column stays in view (sticky, in admin.css), and it takes focus so a keyboard can scroll it.
 */
export function TableScroll({ label, children }: TableScrollProps) {
  return (
    // A scrollable region must be reachable from the keyboard (WCAG 2.1.1).
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
