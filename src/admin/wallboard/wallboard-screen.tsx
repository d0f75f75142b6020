import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { formatDateTime } from '../../lib/format-time';
import { QueryState } from '../query-state';
import { agentBoardQueries } from '../common/agent-board-queries';
import { AgentsBoardTable } from './agents-board-table';
import { QueueFiguresCard } from './queue-figures-card';
import { WALLBOARD_REFRESH_MS, wallboardQueries } from './wallboard-queries';
import './wallboard.css';

/**
 * The contact center live: a card of figures per queue and every agent's state. Live events
 * refresh it at once and it asks again every 5 s; "Large screen" fills the window with big
 * figures for a wall TV (Escape leaves).
 */
export function WallboardScreen() {
  const figures = useQuery(wallboardQueries.figures());
  const agents = useQuery({ ...agentBoardQueries.board(), refetchInterval: WALLBOARD_REFRESH_MS });
  const [large, setLarge] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const agentsTitleId = useId();

  useEffect(() => {
    if (!large) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setLarge(false);
      toggleRef.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [large]);

  return (
    <div className={large ? 'screen wallboard wallboard-large' : 'screen wallboard'}>
      <div className="screen-toolbar wallboard-toolbar">
        <button
          ref={toggleRef}
          type="button"
          className="button button-secondary"
          aria-pressed={large}
          onClick={() => setLarge((on) => !on)}
        >
          Large screen
        </button>
        {figures.data ? (
          <p className="muted wallboard-at">Figures of {formatDateTime(figures.data.at)}</p>
        ) : null}
      </div>
      <QueryState query={figures} what="queue figures">
        {({ queues }) =>
          queues.length === 0 ? (
            <p className="empty-state">There are no queues yet. Supervisors create them under Queues.</p>
          ) : (
            <div className="queue-cards">
              {queues.map((queue) => (
                <QueueFiguresCard key={queue.queueId} queue={queue} />
              ))}
            </div>
          )
        }
      </QueryState>
      <section className="wallboard-agents" aria-labelledby={agentsTitleId}>
        <h4 id={agentsTitleId} className="subheading">
          Agents
        </h4>
        <QueryState query={agents} what="agents">
          {(items) =>
            items.length === 0 ? (
              <p className="empty-state">No agents yet: queue members show here once their phone signs in.</p>
            ) : (
              <AgentsBoardTable agents={items} />
            )
          }
        </QueryState>
      </section>
    </div>
  );
}
