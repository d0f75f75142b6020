import type { Group, GroupMember } from '../../../contracts/groups';
import type { User } from '../../../contracts/users';
import { InlineNameEditor } from '../../lib/inline-name-editor';
import { useToaster } from '../../lib/toast-provider';
import { UserSearch } from '../common/user-search';
import { useChangeMembership, useRenameGroup } from './group-mutations';

type GroupCardProps = {
  group: Group;
  /** Supervisors and admins: rename and delete. */
  canManage: boolean;
  /** Add and remove members: supervisors, admins, and operators of their barge group. */
  canChangeMembers: boolean;
  onDelete: (group: Group) => void;
};

const memberOf = ({ id, username, displayName, extension }: User | GroupMember): GroupMember => ({
  id,
  username,
  displayName,
  extension,
});

export function GroupCard({ group, canManage, canChangeMembers, onDelete }: GroupCardProps) {
  const rename = useRenameGroup();
  const membership = useChangeMembership();
  const toaster = useToaster();

  function change(member: GroupMember, kind: 'add' | 'remove') {
    membership.mutate(
      { group, member, kind },
      {
        onError: (error) =>
          toaster.failure(
            kind === 'add'
              ? `Could not add ${member.displayName} to ${group.name}`
              : `Could not remove ${member.displayName} from ${group.name}`,
            error,
          ),
      },
    );
  }

  return (
    <section className="group-card" aria-label={`Group ${group.name}`}>
      <div className="group-card-header">
        <h4 className="subheading">
          <span className="visually-hidden">Group </span>
          <InlineNameEditor
            value={group.name}
            what="group"
            disabled={!canManage}
            onSave={(name) =>
              rename.mutateAsync(
                { id: group.id, name },
                {
                  onSuccess: () => toaster.success(`Group ${group.name} is now ${name}.`),
                  onError: (error) => toaster.failure(`Could not rename ${group.name}`, error),
                },
              )
            }
          />
        </h4>
        <p className="heading-meta">
          {group.members.length} {group.members.length === 1 ? 'member' : 'members'}
          {group.bargeProfiles.length ? ` · monitored by ${group.bargeProfiles.join(', ')}` : ''}
        </p>
        {canManage ? (
          <button
            type="button"
            className="button button-secondary button-small button-danger-text"
            aria-label={`Delete group ${group.name}`}
            onClick={() => onDelete(group)}
          >
            Delete
          </button>
        ) : null}
      </div>
      {group.members.length === 0 ? (
        <p className="empty-state">
          No members yet.{canChangeMembers ? ' Search for people below to add them.' : ''}
        </p>
      ) : (
        <ul className="member-list" aria-label={`Members of ${group.name}`}>
          {group.members.map((member) => (
            <li key={member.id}>
              <span>
                {member.displayName}{' '}
                <span className="muted">
                  ({member.username} · {member.extension})
                </span>
              </span>
              {canChangeMembers ? (
                <button
                  type="button"
                  className="button button-secondary button-small"
                  aria-label={`Remove ${member.displayName} from ${group.name}`}
                  onClick={() => change(member, 'remove')}
                >
                  Remove
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canChangeMembers ? (
        <UserSearch
          label={`Add a member to ${group.name}`}
          actionLabel="Add"
          chosenLabel="Member"
          isChosen={(user) => group.members.some((member) => member.id === user.id)}
          onPick={(user) => change(memberOf(user), 'add')}
        />
      ) : null}
    </section>
  );
}
