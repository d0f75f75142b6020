import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Group } from '../../../contracts/groups';
import { actorOfMe } from '../../../contracts/policy/actor-of-me';
import { canChangeMembership, canManageGroups } from '../../../contracts/policy/console-access';
import type { Me } from '../../../contracts/users';
import { QueryState } from '../query-state';
import { GroupCard } from './group-card';
import { GroupCreateForm } from './group-create-form';
import { GroupDeleteDialog } from './group-delete-dialog';
import { groupQueries } from '../common/group-queries';

/** Groups and their members. Operators change only their barge group's members. */
export function GroupsScreen({ me }: { me: Me }) {
  const groups = useQuery(groupQueries.list());
  const [deleting, setDeleting] = useState<Group | null>(null);
  const actor = actorOfMe(me);
  const canManage = canManageGroups(actor).allowed;
  const canChangeMembers = (group: Group) => canChangeMembership(actor, group.name).allowed;

  return (
    <div className="screen">
      {canManage ? <GroupCreateForm /> : null}
      <QueryState query={groups} what="groups">
        {(items) =>
          items.length === 0 ? (
            <p className="empty-state">
              There are no groups yet.
              {canManage
                ? ' Create one above, then add its members and choose it as a profile’s barge group.'
                : ' A supervisor creates them.'}
            </p>
          ) : (
            <div className="group-list">
              {items.map((group) => (
                <GroupCard
                  key={group.id}
                  group={group}
                  canManage={canManage}
                  canChangeMembers={canChangeMembers(group)}
                  onDelete={setDeleting}
                />
              ))}
            </div>
          )
        }
      </QueryState>
      {deleting ? <GroupDeleteDialog group={deleting} onClose={() => setDeleting(null)} /> : null}
    </div>
  );
}
