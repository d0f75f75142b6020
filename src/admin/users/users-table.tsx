import type { User } from '../../../contracts/users';
import { roleLabels } from '../../lib/role-labels';
import { VirtualTable, type RowRange } from '../../lib/virtual-table';

/** CSS gives `.users-table tr` exactly this height: windowing depends on it. */
export const USER_ROW_HEIGHT = 44;

type UsersTableProps = {
  total: number;
  userAt: (index: number) => User | undefined;
  onRangeChange: (range: RowRange) => void;
  /** Admins get an Edit button per row; supervisors read. */
  onEdit: ((user: User) => void) | null;
  /** A Devices button per row (desk phones, external numbers), when the console offers it. */
  onDevices?: ((user: User) => void) | null;
  resetKey: string;
  busy: boolean;
};

export function UsersTable({
  total,
  userAt,
  onRangeChange,
  onEdit,
  onDevices = null,
  resetKey,
  busy,
}: UsersTableProps) {
  const hasActions = onEdit !== null || onDevices !== null;
  const columnCount = hasActions ? 7 : 6;
  return (
    <div aria-busy={busy || undefined}>
      <VirtualTable
        caption="Users"
        className="users-table"
        columnCount={columnCount}
        rowCount={total}
        rowHeight={USER_ROW_HEIGHT}
        onRangeChange={onRangeChange}
        resetKey={resetKey}
        header={
          <tr aria-rowindex={1}>
            <th scope="col" className="col-name">
              Name
            </th>
            <th scope="col" className="col-username">
              Username
            </th>
            <th scope="col" className="col-extension">
              Extension
            </th>
            <th scope="col" className="col-role">
              Role
            </th>
            <th scope="col" className="col-profile">
              Profile
            </th>
            <th scope="col" className="col-groups">
              Groups
            </th>
            {hasActions ? (
              <th scope="col" className={onEdit && onDevices ? 'col-actions col-actions-two' : 'col-actions'}>
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        }
        renderRow={(index) => {
          const user = userAt(index);
          if (!user)
            return (
              <tr key={`loading-${index}`} aria-rowindex={index + 2} className="row-loading">
                <td colSpan={columnCount}>Loading…</td>
              </tr>
            );
          return (
            <tr key={user.id} aria-rowindex={index + 2}>
              <th scope="row" className="col-name">
                {user.displayName}
              </th>
              <td className="col-username">{user.username}</td>
              <td className="col-extension numbers">{user.extension}</td>
              <td className="col-role">{roleLabels[user.role]}</td>
              <td className="col-profile">{user.profileName ?? <span className="muted">No profile</span>}</td>
              <td className="col-groups">{user.groups.join(', ')}</td>
              {hasActions ? (
                <td className="col-actions">
                  {onEdit ? (
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      aria-label={`Edit ${user.displayName}`}
                      onClick={() => onEdit(user)}
                    >
                      Edit
                    </button>
                  ) : null}
                  {onDevices ? (
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      aria-label={`Devices of ${user.displayName}`}
                      onClick={() => onDevices(user)}
                    >
                      Devices
                    </button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          );
        }}
      />
    </div>
  );
}
