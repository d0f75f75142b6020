import type { PhoneNumber } from '../../../contracts/numbers';
import { TableScroll } from '../../lib/table-scroll';
import { assignmentWords } from './assignment-words';

type NumbersTableProps = {
  numbers: readonly PhoneNumber[];
  onEdit: (number: PhoneNumber) => void;
  onDelete: (number: PhoneNumber) => void;
};

/** Every number the carriers send us, with its label and whom it rings. */
export function NumbersTable({ numbers, onEdit, onDelete }: NumbersTableProps) {
  return (
    <TableScroll label="Phone numbers table">
      <table className="data-table">
        <caption className="visually-hidden">Phone numbers</caption>
        <thead>
          <tr>
            <th scope="col">Number</th>
            <th scope="col">Label</th>
            <th scope="col">Profile</th>
            <th scope="col">Rings</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {numbers.map((number) => (
            <tr key={number.id}>
              <th scope="row">{number.number}</th>
              <td>{number.label || <span className="muted">No label</span>}</td>
              <td className={number.profile ? undefined : 'muted'}>{number.profile?.name ?? 'Pool'}</td>
              <td className={number.assignment ? undefined : 'muted'}>
                {assignmentWords(number.assignment)}
              </td>
              <td>
                <div className="row-actions">
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    aria-label={`Edit ${number.number}`}
                    onClick={() => onEdit(number)}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="button button-secondary button-small button-danger-text"
                    aria-label={`Delete ${number.number}`}
                    onClick={() => onDelete(number)}
                  >
                    Delete
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
