import { useQuery } from '@tanstack/react-query';
import { MISSED_QUEUE_CALL_REASON, type MyAgentState } from '../../../contracts/agent-states';
import { agentStateLine } from '../../lib/agent-state-labels';
import { formatClock } from '../../lib/format-time';
import { useNow } from '../../lib/use-now';
import { agentStateQueries } from './agent-state-queries';
import { StateButtons } from './state-buttons';
import { WrapUpPanel } from './wrap-up-panel';
import './agent-state.css';

/**
 * Shown to queue members the contact center knows (a state other than Offline: a signed-in
 * phone, a queue call); someone taken out of every queue still finishes a wrap-up.
 */
export const showsAgentState = (state: MyAgentState | undefined): state is MyAgentState =>
  state !== undefined &&
  state.state !== 'offline' &&
  (state.inQueues || state.state === 'wrap_up' || state.state === 'on_call');

/**
 * The agent's contact-center state on the phone: what it is and for how long, one click to
 * Available or Not ready with a reason, and in wrap-up the countdown and the disposition.
 * Refreshed by live events only: `agent` (every move, wrap-up ending by itself too) and
 * `registration` (signing in or out moves the state).
 */
export function AgentStateControl() {
  const mine = useQuery(agentStateQueries.mine());
  const state = mine.data;
  const now = useNow(showsAgentState(state));

  if (!showsAgentState(state)) return null;
  return (
    <section className="agent-state-control" aria-labelledby="agent-state-heading">
      <h3 id="agent-state-heading">Agent state</h3>
      <p className={`agent-state-now agent-state-now-${state.state}`}>
        <span className="agent-state-dot" aria-hidden="true" />
        <span className="agent-state-words" role="status" aria-label="Your state">
          {agentStateLine(state)}
        </span>
        <span className="agent-state-time">
          for <time aria-label="Time in state">{formatClock(now - Date.parse(state.since))}</time>
        </span>
      </p>
      {state.state === 'not_ready' && state.reason === MISSED_QUEUE_CALL_REASON ? (
        <p className="agent-state-note">
          A queue call rang out on your phone, so you were set to Not ready. Choose Available to take queue
          calls again.
        </p>
      ) : null}
      {state.state === 'wrap_up' ? <WrapUpPanel state={state} now={now} /> : <StateButtons state={state} />}
    </section>
  );
}
