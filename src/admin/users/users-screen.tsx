import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { ComponentType } from 'react';
import { actorOfMe } from '../../../contracts/policy/actor-of-me';
import { canManageUsers } from '../../../contracts/policy/console-access';
import { roles, type Role } from '../../../contracts/roles';
import type { Me, User } from '../../../contracts/users';
import { roleLabels } from '../../lib/role-labels';
import { SelectField } from '../../lib/select-field';
import { TextField } from '../../lib/text-field';
import { useDebouncedState } from '../../lib/use-debounced-value';
import { groupQueries } from '../common/group-queries';
import { ProfileOptions } from '../common/profile-options';
import { failureMessage } from '../../lib/toast-provider';
import { useUserRows } from './use-user-rows';
import { UserCreateDialog } from './user-create-dialog';
import { UserDeleteDialog } from './user-delete-dialog';
import { UserEditDialog } from './user-edit-dialog';
import type { UserFilters } from './user-queries';
import { UsersTable } from './users-table';

/** Typing waits this long for the next key before asking the server. */
export const SEARCH_DEBOUNCE_MS = 150;

type Open =
  | { kind: 'create' }
  | { kind: 'edit'; user: User }
  | { kind: 'delete'; user: User }
  | { kind: 'devices'; user: User }
  | null;

type UsersScreenProps = {
  me: Me;
  /**
   * A user's devices, given by the console (feature folders do not import each other): with it,
   * each row has a Devices button that opens it.
   */
  DevicesDialog?: ComponentType<{ user: User; onClose: () => void }>;
};

/** Every user, searched and paged on the server, in a table that renders only what is in view. */
export function UsersScreen({ me, DevicesDialog }: UsersScreenProps) {
  const isAdmin = canManageUsers(actorOfMe(me)).allowed;
  const [search, settledSearch, setSearch] = useDebouncedState('', SEARCH_DEBOUNCE_MS);
  const [role, setRole] = useState<Role | ''>('');
  const [profileId, setProfileId] = useState('');
  const [group, setGroup] = useState('');
  const [open, setOpen] = useState<Open>(null);
  const q = settledSearch.trim();
  const groups = useQuery(groupQueries.list());

  const filters = useMemo<UserFilters>(
    () => ({
      ...(q ? { q } : {}),
      ...(role ? { role } : {}),
      ...(profileId ? { profileId: Number(profileId) } : {}),
      ...(group ? { group } : {}),
    }),
    [q, role, profileId, group],
  );
  const filtered = Object.keys(filters).length > 0;
  const rows = useUserRows(filters);
  const close = () => setOpen(null);

  function clearFilters() {
    setSearch('');
    setRole('');
    setProfileId('');
    setGroup('');
  }

  return (
    <div className="screen">
      <div role="search" className="filters" aria-label="Filter users">
        <TextField
          label="Search"
          type="search"
          className="filter-search"
          hint="Name, username, extension or email."
          maxLength={100}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <SelectField label="Role" value={role} onChange={(event) => setRole(event.target.value as Role | '')}>
          <option value="">Any role</option>
          {roles.map((candidate) => (
            <option key={candidate} value={candidate}>
              {roleLabels[candidate]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Profile" value={profileId} onChange={(event) => setProfileId(event.target.value)}>
          <ProfileOptions none="Any profile" />
        </SelectField>
        <SelectField label="Group" value={group} onChange={(event) => setGroup(event.target.value)}>
          <option value="">Any group</option>
          {(groups.data ?? []).map((candidate) => (
            <option key={candidate.id} value={candidate.name}>
              {candidate.name}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="screen-toolbar">
        <p role="status" className="screen-summary">
          {rows.first.isSuccess
            ? `${rows.total.toLocaleString()} ${rows.total === 1 ? 'user' : 'users'}${filtered ? ' match' : ''}`
            : null}
        </p>
        {isAdmin ? (
          <button type="button" className="button button-primary" onClick={() => setOpen({ kind: 'create' })}>
            Add user
          </button>
        ) : null}
      </div>
      {rows.first.isPending ? (
        <p role="status" className="loading-line">
          <span className="spinner" aria-hidden="true" />
          Loading users…
        </p>
      ) : rows.first.isError && !rows.first.data ? (
        <div role="alert" className="panel-error">
          <p>The users could not be loaded: {failureMessage(rows.first.error)}</p>
          <button type="button" className="button button-secondary" onClick={() => void rows.first.refetch()}>
            Try again
          </button>
        </div>
      ) : rows.total === 0 && !rows.stale ? (
        filtered ? (
          <div className="empty-state">
            <p>No users match these filters. Change the search, or clear the filters to see everyone.</p>
            <button type="button" className="button button-secondary" onClick={clearFilters}>
              Clear filters
            </button>
          </div>
        ) : (
          <p className="empty-state">
            There are no users yet.{isAdmin ? ' Add one with “Add user”.' : ' An admin adds them.'}
          </p>
        )
      ) : (
        <UsersTable
          total={rows.total}
          userAt={rows.userAt}
          onRangeChange={rows.setRange}
          onEdit={isAdmin ? (user) => setOpen({ kind: 'edit', user }) : null}
          onDevices={DevicesDialog ? (user) => setOpen({ kind: 'devices', user }) : null}
          resetKey={JSON.stringify(filters)}
          busy={rows.stale}
        />
      )}
      {open?.kind === 'create' ? <UserCreateDialog onClose={close} /> : null}
      {open?.kind === 'edit' ? (
        <UserEditDialog
          user={open.user}
          myId={me.user.id}
          onClose={close}
          onDelete={(user) => setOpen({ kind: 'delete', user })}
        />
      ) : null}
      {open?.kind === 'delete' ? <UserDeleteDialog user={open.user} onClose={close} /> : null}
      {open?.kind === 'devices' && DevicesDialog ? <DevicesDialog user={open.user} onClose={close} /> : null}
    </div>
  );
}
