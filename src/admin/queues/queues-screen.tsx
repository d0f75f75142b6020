import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Queue } from '../../../contracts/queues';
import { Dialog } from '../../lib/dialog';
import { ListScreen } from '../common/list-screen';
import { QueueDeleteDialog } from './queue-delete-dialog';
import { QueueForm } from './queue-form';
import { queueQueries } from '../common/queue-queries';
import { QueuesTable } from './queues-table';
import { ReasonCodesSection } from './reason-codes-section';
import './queues.css';

type Open = { kind: 'create' } | { kind: 'edit'; queue: Queue } | { kind: 'delete'; queue: Queue } | null;

/** Queues for supervisors and admins (create, edit, delete), and the reasons for Not ready. */
export function QueuesScreen() {
  const queues = useQuery(queueQueries.list());
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);
  const all = queues.data ?? [];

  return (
    <ListScreen
      query={queues}
      what="queues"
      createLabel="New queue"
      onCreate={() => setOpen({ kind: 'create' })}
      empty="There are no queues yet. Create one with “New queue”: calls to its extension wait there until an available member answers."
      list={(items) => (
        <QueuesTable
          queues={items}
          onEdit={(queue) => setOpen({ kind: 'edit', queue })}
          onDelete={(queue) => setOpen({ kind: 'delete', queue })}
        />
      )}
    >
      <ReasonCodesSection />
      {open?.kind === 'create' ? (
        <Dialog title="New queue" onClose={close}>
          <QueueForm queues={all} onDone={close} onCancel={close} />
        </Dialog>
      ) : null}
      {open?.kind === 'edit' ? (
        <Dialog title={`Edit queue ${open.queue.name}`} onClose={close}>
          <QueueForm queue={open.queue} queues={all} onDone={close} onCancel={close} />
        </Dialog>
      ) : null}
      {open?.kind === 'delete' ? <QueueDeleteDialog queue={open.queue} onClose={close} /> : null}
    </ListScreen>
  );
}
