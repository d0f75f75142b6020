import type { Trunk } from '../../../contracts/trunks';
import { DataTable } from '../common/data-table';
import { RowActions } from '../common/row-actions';
import { authWords, prefixesText, trunkAddress } from './trunk-labels';
import { TrunkStatusCell } from './trunk-status-cell';

type TrunksTableProps = {
  trunks: readonly Trunk[];
  onEdit: (trunk: Trunk) => void;
  onDelete: (trunk: Trunk) => void;
};

/** Every trunk with its settings and live status, in the order outbound calls try them. */
export function TrunksTable({ trunks, onEdit, onDelete }: TrunksTableProps) {
  const ordered = [...trunks].sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
  return (
    <DataTable
      caption="SIP trunks"
      columns={[
        'Name',
        'Address',
        'Authentication',
        'Caller ID',
        'Prefixes',
        'Priority',
        'Enabled',
        'Status',
      ]}
      actions
    >
      {ordered.map((trunk) => (
        <tr key={trunk.id}>
          <th scope="row" className="entity-name">
            {trunk.name}
          </th>
          <td>{trunkAddress(trunk)}</td>
          <td>{authWords(trunk.auth)}</td>
          <td>{trunk.callerId}</td>
          <td>{prefixesText(trunk.prefixes)}</td>
          <td className="numbers">{trunk.priority}</td>
          <td>{trunk.enabled ? 'Yes' : 'No'}</td>
          <td>
            <TrunkStatusCell status={trunk.status} />
          </td>
          <td>
            <RowActions name={trunk.name} onEdit={() => onEdit(trunk)} onDelete={() => onDelete(trunk)} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
