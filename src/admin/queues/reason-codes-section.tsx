import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { ReasonCode } from '../../../contracts/agent-states';
import { ConfirmDialog } from '../../lib/confirm-dialog';
import { useToaster } from '../../lib/toast-provider';
import { QueryState } from '../query-state';
import { ReasonCodeCreateForm } from './reason-code-create-form';
import { reasonCodeQueries, useDeleteReasonCode } from './reason-code-queries';

/** The reasons agents choose from for Not ready: listed, added, removed. */
export function ReasonCodesSection() {
  const codes = useQuery(reasonCodeQueries.list());
  const [removing, setRemoving] = useState<ReasonCode | null>(null);
  const titleId = useId();
  return (
    <section className="reason-codes" aria-labelledby={titleId}>
      <h4 id={titleId} className="subheading">
        Reasons for Not ready
      </h4>
      <QueryState query={codes} what="reasons">
        {(items) =>
          items.length === 0 ? (
            <p className="empty-state">No reasons yet: agents can only be Available until you add some.</p>
          ) : (
            <ul className="plain-list reason-code-list" aria-label="Reasons for Not ready">
              {items.map((code) => (
                <li key={code.id} className="reason-code">
                  <span>
                    {code.label} <span className="muted">({code.code})</span>
                  </span>
                  <button
                    type="button"
                    className="button button-secondary button-small button-danger-text"
                    aria-label={`Remove reason ${code.label}`}
                    onClick={() => setRemoving(code)}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
      <ReasonCodeCreateForm />
      {removing ? <RemoveReasonDialog code={removing} onClose={() => setRemoving(null)} /> : null}
    </section>
  );
}

function RemoveReasonDialog({ code, onClose }: { code: ReasonCode; onClose: () => void }) {
  const remove = useDeleteReasonCode();
  const toaster = useToaster();
  return (
    <ConfirmDialog
      title={`Remove reason ${code.label}?`}
      confirmLabel="Remove"
      pendingLabel="Removing…"
      pending={remove.isPending}
      onClose={onClose}
      onConfirm={() =>
        remove.mutate(code.id, {
          onSuccess() {
            toaster.success(`Reason ${code.label} removed.`);
            onClose();
          },
          onError: (error) => toaster.failure(`Could not remove ${code.label}`, error),
        })
      }
    >
      <p>
        Agents can no longer choose it. Anyone Not ready with it now stays so, and past state changes keep it.
      </p>
    </ConfirmDialog>
  );
}
