import { useQuery } from '@tanstack/react-query';
import type { AgentStateChange, MyAgentState } from '../../../contracts/agent-states';
import { PendingButton } from '../../lib/pending-button';
import { asSentence } from '../../lib/sentence';
import { agentStateQueries, useChangeAgentState } from './agent-state-queries';

/** Available, or Not ready with one of the supervisors' reasons: each one click, each labelled. */
export function StateButtons({ state }: { state: MyAgentState }) {
  const reasons = useQuery(agentStateQueries.reasons());
  const change = useChangeAgentState();
  const followsCall = state.state === 'ringing' || state.state === 'on_call';
  const pendingChange = change.isPending ? change.variables : null;
  const send = (next: AgentStateChange) => {
    if (!change.isPending) change.mutate(next);
  };
  const isPending = (next: AgentStateChange) => JSON.stringify(pendingChange) === JSON.stringify(next);

  return (
    <>
      <div className="agent-state-buttons" role="group" aria-label="Change your state">
        <PendingButton
          type="button"
          variant={state.state === 'available' ? 'primary' : 'secondary'}
          className="button-small"
          aria-pressed={state.state === 'available'}
          disabled={followsCall}
          pending={isPending({ action: 'available' })}
          pendingLabel="Available…"
          onClick={() => send({ action: 'available' })}
        >
          Available
        </PendingButton>
        {(reasons.data ?? []).map((reason) => {
          const next: AgentStateChange = { action: 'not_ready', reasonCode: reason.code };
          const chosen = state.state === 'not_ready' && state.reason === reason.label;
          return (
            <PendingButton
              key={reason.id}
              type="button"
              variant={chosen ? 'primary' : 'secondary'}
              className="button-small"
              aria-pressed={chosen}
              aria-label={`Not ready: ${reason.label}`}
              disabled={followsCall}
              pending={isPending(next)}
              pendingLabel={`${reason.label}…`}
              onClick={() => send(next)}
            >
              {reason.label}
            </PendingButton>
          );
        })}
      </div>
      {followsCall ? (
        <p className="field-hint">Your state follows the call; choose again once it has ended.</p>
      ) : null}
      {reasons.isError ? (
        <p className="agent-state-error" role="alert">
          The reasons for Not ready could not be loaded: {asSentence(reasons.error.message)}
        </p>
      ) : reasons.data?.length === 0 ? (
        <p className="field-hint">There are no reasons for Not ready yet; a supervisor adds them.</p>
      ) : null}
      {change.isError ? (
        <p className="agent-state-error" role="alert">
          Your state was not changed: {asSentence(change.error.message)}
        </p>
      ) : null}
    </>
  );
}
