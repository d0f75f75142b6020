import type { MyAgentState } from '../../../contracts/agent-states';
import { formatClock } from '../../lib/format-time';
import { PendingButton } from '../../lib/pending-button';
import { asSentence } from '../../lib/sentence';
import { useChangeAgentState } from './agent-state-queries';
import { DispositionForm } from './disposition-form';

type WrapUpPanelProps = { state: MyAgentState; now: number };

/**
 * Wrap-up after a queue call: how long is left (counting down), End wrap-up and More time,
 * and the queue's dispositions with a note for the call.
 */
export function WrapUpPanel({ state, now }: WrapUpPanelProps) {
  const change = useChangeAgentState();
  const endsAt = state.wrapUpEndsAt ? Date.parse(state.wrapUpEndsAt) : null;
  const left = endsAt === null ? null : Math.max(0, endsAt - now);

  const pendingAction = change.isPending ? change.variables.action : null;
  return (
    <div className="wrap-up">
      {left !== null ? (
        <p className="wrap-up-countdown">
          Wrap-up ends in{' '}
          <span role="timer" aria-label="Wrap-up time left">
            {formatClock(left + 999)}
          </span>
          {state.wrapUp ? <> · call from queue {state.wrapUp.queue}</> : null}
        </p>
      ) : null}
      <div className="agent-state-buttons" role="group" aria-label="Wrap-up">
        <PendingButton
          type="button"
          className="button-small"
          pending={pendingAction === 'end_wrap_up'}
          pendingLabel="Ending…"
          onClick={() => !change.isPending && change.mutate({ action: 'end_wrap_up' })}
        >
          End wrap-up
        </PendingButton>
        <PendingButton
          type="button"
          variant="secondary"
          className="button-small"
          pending={pendingAction === 'extend_wrap_up'}
          pendingLabel="Adding time…"
          onClick={() => !change.isPending && change.mutate({ action: 'extend_wrap_up' })}
        >
          More time
        </PendingButton>
      </div>
      {change.isError ? (
        <p className="agent-state-error" role="alert">
          Wrap-up was not changed: {asSentence(change.error.message)}
        </p>
      ) : null}
      {state.wrapUp ? <DispositionForm key={state.wrapUp.callId} wrapUp={state.wrapUp} /> : null}
    </div>
  );
}
