import { useQuery } from '@tanstack/react-query';
import type { Queue } from '../../../contracts/queues';
import { DataTable } from '../common/data-table';
import { RowActions } from '../common/row-actions';
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
    <DataTable
      caption="Queues"
      columns={[
        'Name',
        'Extension',
        'Members (priority)',
        'Strategy',
        'Ring, wait, wrap-up',
        'After the wait',
        'Dispositions',
      ]}
      actions
    >
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
            <RowActions name={queue.name} onEdit={() => onEdit(queue)} onDelete={() => onDelete(queue)} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/** Where the queue's calls go after the maximum wait, naming the overflow user once known. */
function OverflowCell({ queue, queues }: { queue: Queue; queues: readonly Queue[] }) {
  const userId = queue.overflow.kind === 'user' ? queue.overflow.userId : null;
  const user = useQuery({ ...userByIdQuery(userId ?? 0), enabled: userId !== null });
  return <>{overflowWords(queue.overflow, queues, user.data?.displayName ?? null)}</>;
}
