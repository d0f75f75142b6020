import { useQuery } from '@tanstack/react-query';
import type { BoardMember, MonitorMode } from '../../../contracts/monitor';
import { MemberRow } from './member-row';
import { TableScroll } from '../../lib/table-scroll';
import { useNow } from '../../lib/use-now';
import { agentBoardQueries } from '../common/agent-board-queries';

type MembersTableProps = {
  groupName: string;
  members: readonly BoardMember[];
  modes: readonly MonitorMode[];
  myUserId: number;
  onRemove: (member: BoardMember) => void;
};

/**
 * The barge group's members with their live calls and, beside them, their contact-center
 * state (`agent` events refresh it); call durations and time in state tick every second.
 */
export function MembersTable({ groupName, members, modes, myUserId, onRemove }: MembersTableProps) {
  const agents = useQuery(agentBoardQueries.board());
  const stateOf = (userId: number) => agents.data?.find((agent) => agent.userId === userId) ?? null;
  const now = useNow(members.some((member) => member.calls.length > 0) || (agents.data?.length ?? 0) > 0);
  return (
    <TableScroll label={`Members of ${groupName} table`}>
      <table className="data-table operator-table">
        <caption className="visually-hidden">Members of {groupName}</caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Extension</th>
            <th scope="col">State</th>
            <th scope="col">Agent state</th>
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
              agent={stateOf(member.userId)}
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
