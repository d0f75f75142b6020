import type { AgentBoardEntry } from '../../../contracts/agent-states';
import type { BoardMember, MonitorMode } from '../../../contracts/monitor';
import { formatClock } from '../../lib/format-time';
import { asSentence } from '../../lib/sentence';
import { AgentStateBadge } from '../common/agent-state-badge';
import { describeCall, describeMonitors, stateWord } from './member-state';
import { MonitorControls } from './monitor-controls';

type MemberRowProps = {
  member: BoardMember;
  /** The member's contact-center state, when the server knows one. */
  agent: AgentBoardEntry | null;
  groupName: string;
  modes: readonly MonitorMode[];
  myUserId: number;
  /** The current time, ticking while anyone is on a call. */
  now: number;
  onRemove: (member: BoardMember) => void;
};

/** One member of the barge group: who, where they are now, and how to monitor their calls. */
export function MemberRow({ member, agent, groupName, modes, myUserId, now, onRemove }: MemberRowProps) {
  const answered = member.calls.filter((call) => call.state === 'answered');
  return (
    <tr>
      <th scope="row">
        {member.displayName} <span className="muted">({member.username})</span>
      </th>
      <td className="numbers">{member.extension}</td>
      <td>
        <span className={`member-state member-state-${member.state}`}>
          <span className="member-state-dot" aria-hidden="true" />
          {member.calls.length === 0 ? (
            stateWord(member.state)
          ) : (
            <ul className="plain-list call-list">
              {member.calls.map((call) => {
                const monitors = describeMonitors(call.monitors, myUserId);
                return (
                  <li key={call.dialogId}>
                    <span>{describeCall(call, now)}</span>
                    {monitors ? <span className="call-monitors">{monitors}</span> : null}
                  </li>
                );
              })}
            </ul>
          )}
        </span>
      </td>
      <td>
        {agent ? (
          <span className="agent-state-cell">
            <AgentStateBadge agent={agent} />
            <span className="muted"> · {formatClock(now - Date.parse(agent.since))}</span>
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        {member.cannotMonitor !== null ? (
          <span className="muted">{asSentence(member.cannotMonitor)}</span>
        ) : answered.length === 0 ? (
          <span className="muted">No call to monitor</span>
        ) : (
          answered.map((call) => (
            <MonitorControls key={call.dialogId} member={member} call={call} modes={modes} />
          ))
        )}
      </td>
      <td>
        <button
          type="button"
          className="button button-secondary button-small"
          aria-label={`Remove ${member.displayName} from ${groupName}`}
          onClick={() => onRemove(member)}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}
