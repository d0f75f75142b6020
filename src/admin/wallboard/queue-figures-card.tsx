import { useId } from 'react';
import type { QueueFigures } from '../../../contracts/queues';
import { percentText, secondsClock } from './figure-words';

/** One queue's figures today, as a card of big numbers with their names. */
export function QueueFiguresCard({ queue }: { queue: QueueFigures }) {
  const titleId = useId();
  const { agents } = queue;
  const figures: [string, string, string?][] = [
    ['Waiting', String(queue.waiting), queue.waiting > 0 ? 'alert' : undefined],
    ['Longest wait', queue.waiting > 0 ? secondsClock(queue.longestWaitSeconds) : '—'],
    ['Answered today', String(queue.answeredToday)],
    ['Abandoned today', String(queue.abandonedToday)],
    ['Service level', percentText(queue.serviceLevel)],
    ['Average handle time', secondsClock(queue.averageHandleSeconds)],
  ];
  const agentCounts: [string, number][] = [
    ['Available', agents.available],
    ['Busy', agents.busy],
    ['Wrap-up', agents.wrapUp],
    ['Not ready', agents.notReady],
    ['Offline', agents.offline],
  ];
  return (
    <article className="queue-card" aria-labelledby={titleId}>
      <h4 id={titleId} className="queue-card-title">
        {queue.name}
      </h4>
      <dl className="queue-figures">
        {figures.map(([name, value, tone]) => (
          <div key={name} className={tone ? `queue-figure queue-figure-${tone}` : 'queue-figure'}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <dl className="queue-agents" aria-label={`Agents of ${queue.name} by state`}>
        {agentCounts.map(([name, count]) => (
          <div key={name} className="queue-agent-count">
            <dt>{name}</dt>
            <dd>{count}</dd>
          </div>
        ))}
      </dl>
    </article>
  );
}
