import type { PhoneNumber } from '../../../contracts/numbers';
import { DataTable } from '../common/data-table';
import { RowActions } from '../common/row-actions';
import { assignmentWords } from './assignment-words';

type NumbersTableProps = {
  numbers: readonly PhoneNumber[];
  onEdit: (number: PhoneNumber) => void;
  onDelete: (number: PhoneNumber) => void;
};

/** Every number the carriers send us, with its label and whom it rings. */
export function NumbersTable({ numbers, onEdit, onDelete }: NumbersTableProps) {
  return (
    <DataTable caption="Phone numbers" columns={['Number', 'Label', 'Profile', 'Rings']} actions>
      {numbers.map((number) => (
        <tr key={number.id}>
          <th scope="row">{number.number}</th>
          <td>{number.label || <span className="muted">No label</span>}</td>
          <td className={number.profile ? undefined : 'muted'}>{number.profile?.name ?? 'Pool'}</td>
          <td className={number.assignment ? undefined : 'muted'}>{assignmentWords(number.assignment)}</td>
          <td>
            <RowActions
              name={number.number}
              onEdit={() => onEdit(number)}
              onDelete={() => onDelete(number)}
            />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
