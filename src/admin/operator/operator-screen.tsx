import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { BoardMember, MonitorBoard, MonitorMode } from '../../../contracts/monitor';
import type { Me } from '../../../contracts/users';
import { QueryState } from '../query-state';
import { AddMemberForm } from './add-member-form';
import { boardQueries } from './board-queries';
import { MembersTable } from './members-table';
import { allowedModes, modesFromFlags } from './monitor-modes';
import { MonitorStatus } from './monitor-status';
import { RemoveMemberDialog } from './remove-member-dialog';

/**
 * The operator panel: the running monitor session on top, then the barge group's members
 * with their live calls (Listen, Whisper, Barge as the profile allows), and the group's
 * membership. Live events keep the board current.
 */
export function OperatorScreen({ me }: { me: Me }) {
  const board = useQuery(boardQueries.board());
  const modes = board.data ? allowedModes(board.data.modes) : modesFromFlags(me.profile?.flags ?? []);

  return (
    <div className="screen operator-screen">
      <MonitorStatus modes={modes} />
      <QueryState query={board} what="live calls">
        {(data) => <BoardView board={data} modes={modes} myUserId={me.user.id} />}
      </QueryState>
    </div>
  );
}

type BoardViewProps = { board: MonitorBoard; modes: readonly MonitorMode[]; myUserId: number };

function BoardView({ board, modes, myUserId }: BoardViewProps) {
  const [removing, setRemoving] = useState<BoardMember | null>(null);
  const titleId = useId();
  const { group, members, notice } = board;

  if (!group)
    return (
      <p className="empty-state">
        {notice ??
          'Your profile has no barge group, so there is nobody to monitor. A supervisor chooses it on your profile.'}
      </p>
    );

  const onCall = members.filter((member) => member.state === 'on_call').length;
  return (
    <>
      {notice ? <p className="operator-notice">{notice}</p> : null}
      <section className="board-members" aria-labelledby={titleId}>
        <h4 id={titleId} className="subheading">
          Members of {group.name}
        </h4>
        <p className="heading-meta">
          {members.length} {members.length === 1 ? 'member' : 'members'} · {onCall} on a call
        </p>
        {members.length === 0 ? (
          <p className="empty-state">Nobody is in {group.name} yet. Search for people below to add them.</p>
        ) : (
          <MembersTable
            groupName={group.name}
            members={members}
            modes={modes}
            myUserId={myUserId}
            onRemove={setRemoving}
          />
        )}
      </section>
      <AddMemberForm group={group} members={members} />
      {removing ? (
        <RemoveMemberDialog group={group} member={removing} onClose={() => setRemoving(null)} />
      ) : null}
    </>
  );
}
