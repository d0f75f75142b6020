import type { Trunk } from '../../../contracts/trunks';
import { TableScroll } from '../../lib/table-scroll';
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
    <TableScroll label="SIP trunks table">
      <table className="data-table">
        <caption className="visually-hidden">SIP trunks</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Address</th>
            <th scope="col">Authentication</th>
            <th scope="col">Caller ID</th>
            <th scope="col">Prefixes</th>
            <th scope="col">Priority</th>
            <th scope="col">Enabled</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
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
                <div className="row-actions">
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    aria-label={`Edit ${trunk.name}`}
                    onClick={() => onEdit(trunk)}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="button button-secondary button-small button-danger-text"
                    aria-label={`Delete ${trunk.name}`}
                    onClick={() => onDelete(trunk)}
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
