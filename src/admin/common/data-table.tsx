import type { ReactNode } from 'react';
import { TableScroll } from '../../lib/table-scroll';

type DataTableProps = {
  /** The table's name, e.g. "SIP trunks": its caption, and "SIP trunks table" for its scroll box. */
  caption: string;
  /** The scroll box's name when it is not "<caption> table". */
  label?: string;
  /** The column headings, left to right. */
  columns: readonly string[];
  /** Whether the last column holds each row's buttons (its heading is for screen readers only). */
  actions?: boolean;
  /** The rows. */
  children: ReactNode;
};

/** A console table: scrolls sideways in its card, a hidden caption, headings for its columns. */
export function DataTable({ caption, label, columns, actions = false, children }: DataTableProps) {
  return (
    <TableScroll label={label ?? `${caption} table`}>
      <table className="data-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            {actions ? (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </TableScroll>
  );
}
