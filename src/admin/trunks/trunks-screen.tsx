import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Trunk } from '../../../contracts/trunks';
import { Dialog } from '../../lib/dialog';
import { ListScreen } from '../common/list-screen';
import { MediaNotice } from './media-notice';
import { TrunkDeleteDialog } from './trunk-delete-dialog';
import { TrunkForm } from './trunk-form';
import { trunkQueries } from './trunk-queries';
import { TrunksTable } from './trunks-table';

type Open = { kind: 'create' } | { kind: 'edit'; trunk: Trunk } | { kind: 'delete'; trunk: Trunk } | null;

/** SIP trunks for admins: settings, live status (kept fresh by `trunk` events), create, edit, delete. */
export function TrunksScreen() {
  const trunks = useQuery(trunkQueries.list());
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);

  return (
    <ListScreen
      query={trunks}
      what="trunks"
      createLabel="New trunk"
      onCreate={() => setOpen({ kind: 'create' })}
      empty="There are no trunks yet. Create one with “New trunk” with your carrier’s details: calls to customers’ numbers go through it."
      notice={trunks.data ? <MediaNotice media={trunks.data.media} /> : null}
      list={({ items }) => (
        <TrunksTable
          trunks={items}
          onEdit={(trunk) => setOpen({ kind: 'edit', trunk })}
          onDelete={(trunk) => setOpen({ kind: 'delete', trunk })}
        />
      )}
    >
      {open?.kind === 'create' ? (
        <Dialog title="New trunk" onClose={close}>
          <TrunkForm onDone={close} onCancel={close} />
        </Dialog>
      ) : null}
      {open?.kind === 'edit' ? (
        <Dialog title={`Edit trunk ${open.trunk.name}`} onClose={close}>
          <TrunkForm trunk={open.trunk} onDone={close} onCancel={close} />
        </Dialog>
      ) : null}
      {open?.kind === 'delete' ? <TrunkDeleteDialog trunk={open.trunk} onClose={close} /> : null}
    </ListScreen>
  );
}
