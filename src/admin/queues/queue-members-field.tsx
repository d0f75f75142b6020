import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { SelectField } from '../../lib/select-field';
import { groupQueries } from '../common/group-queries';
import { UserSearch } from '../common/user-search';
import type { QueueFormFields } from './queue-form-fields';
import type { MemberDraft } from './queue-form-values';

const validPriority = (text: string) => /^\s*([1-9]|10)\s*$/.test(text);

const keyOf = (member: Pick<MemberDraft, 'kind' | 'id'>) => `${member.kind}-${member.id}`;

/**
 * The queue's members, users and whole groups, each with a priority (1 is offered calls
 * first): found by name, listed with their priority, removed with one button.
 */
export function QueueMembersField({ form }: { form: QueueFormFields }) {
  const { values, set, errorFor } = form;
  const members = values.members;
  const groups = useQuery(groupQueries.list());
  const [groupId, setGroupId] = useState('');
  const legendId = useId();
  const errorId = useId();
  const error = errorFor('members');

  const has = (kind: MemberDraft['kind'], id: number) => members.some((m) => m.kind === kind && m.id === id);
  const add = (member: MemberDraft) => set('members', [...members, member]);
  const change = (target: MemberDraft, priority: string) =>
    set(
      'members',
      members.map((member) => (keyOf(member) === keyOf(target) ? { ...member, priority } : member)),
    );
  const remove = (target: MemberDraft) =>
    set(
      'members',
      members.filter((member) => keyOf(member) !== keyOf(target)),
    );
  const addableGroups = (groups.data ?? []).filter((group) => !has('group', group.id));

  return (
    <fieldset
      className="field queue-members"
      aria-labelledby={legendId}
      aria-describedby={error ? errorId : undefined}
    >
      <legend id={legendId} className="field-label">
        Members
      </legend>
      <p className="field-hint">Priority 1 to 10: members with 1 are offered calls first.</p>
      {members.length === 0 ? (
        <p className="muted">No members yet: add users or groups below.</p>
      ) : (
        <ul className="plain-list queue-member-list" aria-label="Members of the queue">
          {members.map((member) => {
            const who = member.kind === 'user' ? member.label : `Group ${member.label}`;
            return (
              <li key={keyOf(member)} className="queue-member">
                <span className="queue-member-name">{who}</span>
                <label className="queue-member-priority">
                  <span>Priority</span>
                  <input
                    className="field-input"
                    inputMode="numeric"
                    aria-label={`Priority of ${who}`}
                    aria-invalid={error && !validPriority(member.priority) ? true : undefined}
                    aria-describedby={error ? errorId : undefined}
                    value={member.priority}
                    onChange={(event) => change(member, event.target.value)}
                  />
                </label>
                <button
                  type="button"
                  className="button button-secondary button-small"
                  aria-label={`Remove ${who}`}
                  onClick={() => remove(member)}
                >
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
      <div className="form-row queue-member-adders">
        <UserSearch
          label="Add a user"
          actionLabel="Add"
          chosenLabel="Member"
          isChosen={(user) => has('user', user.id)}
          onPick={(user) =>
            add({ kind: 'user', id: user.id, label: `${user.displayName} (${user.username})`, priority: '1' })
          }
        />
        <div className="queue-group-adder">
          <SelectField
            label="Add a group"
            value={groupId}
            onChange={(event) => setGroupId(event.target.value)}
          >
            <option value="">Choose a group…</option>
            {addableGroups.map((group) => (
              <option key={group.id} value={String(group.id)}>
                {group.name} ({group.members.length})
              </option>
            ))}
          </SelectField>
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={groupId === ''}
            onClick={() => {
              const group = addableGroups.find((candidate) => String(candidate.id) === groupId);
              if (group) add({ kind: 'group', id: group.id, label: group.name, priority: '1' });
              setGroupId('');
            }}
          >
            Add group
          </button>
        </div>
      </div>
    </fieldset>
  );
}
