import { useQuery } from '@tanstack/react-query';
import type { Queue } from '../../../contracts/queues';
import { TableScroll } from '../../lib/table-scroll';
import { userByIdQuery } from '../common/user-name-query';
import { membersWords, overflowWords, strategyName } from './queue-labels';

type QueuesTableProps = {
  queues: readonly Queue[];
  onEdit: (queue: Queue) => void;
  onDelete: (queue: Queue) => void;
};

/** Every queue with its extension, members, strategy, limits and dispositions. */
export function QueuesTable({ queues, onEdit, onDelete }: QueuesTableProps) {
  const ordered = [...queues].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <TableScroll label="Queues table">
      <table className="data-table">
        <caption className="visually-hidden">Queues</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Extension</th>
            <th scope="col">Members (priority)</th>
            <th scope="col">Strategy</th>
            <th scope="col">Ring, wait, wrap-up</th>
            <th scope="col">After the wait</th>
            <th scope="col">Dispositions</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {ordered.map((queue) => (
            <tr key={queue.id}>
              <th scope="row" className="entity-name">
                {queue.name}
              </th>
              <td className="numbers">{queue.extension}</td>
              <td>{membersWords(queue.members)}</td>
              <td>{strategyName(queue.strategy)}</td>
              <td>
                {queue.ringSeconds} s, {queue.maxWaitSeconds} s, {queue.wrapUpSeconds} s
                <span className="muted"> · service level {queue.serviceLevelSeconds} s</span>
              </td>
              <td>
                <OverflowCell queue={queue} queues={queues} />
              </td>
              <td>{queue.dispositions.length > 0 ? queue.dispositions.join(', ') : '—'}</td>
              <td>
                <div className="row-actions">
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    aria-label={`Edit ${queue.name}`}
                    onClick={() => onEdit(queue)}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="button button-secondary button-small button-danger-text"
                    aria-label={`Delete ${queue.name}`}
                    onClick={() => onDelete(queue)}
                  >
                    Delete
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** Where the queue's calls go after the maximum wait, naming the overflow user once known. */
function OverflowCell({ queue, queues }: { queue: Queue; queues: readonly Queue[] }) {
  const userId = queue.overflow.kind === 'user' ? queue.overflow.userId : null;
  const user = useQuery({ ...userByIdQuery(userId ?? 0), enabled: userId !== null });
  return <>{overflowWords(queue.overflow, queues, user.data?.displayName ?? null)}</>;
}
