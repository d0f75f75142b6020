import type { BoardMember, MonitorMode } from '../../../contracts/monitor';
import { MemberRow } from './member-row';
import { TableScroll } from '../../lib/table-scroll';
import { useNow } from '../../lib/use-now';

type MembersTableProps = {
  groupName: string;
  members: readonly BoardMember[];
  modes: readonly MonitorMode[];
  myUserId: number;
  onRemove: (member: BoardMember) => void;
};

/** The barge group's members with their live state; call durations tick every second. */
export function MembersTable({ groupName, members, modes, myUserId, onRemove }: MembersTableProps) {
  const now = useNow(members.some((member) => member.calls.length > 0));
  return (
    <TableScroll label={`Members of ${groupName} table`}>
      <table className="data-table operator-table">
        <caption className="visually-hidden">Members of {groupName}</caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Extension</th>
            <th scope="col">State</th>
            <th scope="col">Monitor</th>
            <th scope="col">
              <span className="visually-hidden">Membership</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <MemberRow
              key={member.userId}
              member={member}
              groupName={groupName}
              modes={modes}
              myUserId={myUserId}
              now={now}
              onRemove={onRemove}
            />
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
