import { useId, useRef } from 'react';
import type { ReactNode } from 'react';
import { Dialog } from './dialog';
import { PendingButton } from './pending-button';

type ConfirmDialogProps = {
  title: string;
  /** What saying yes means, in sentences: the dialog's description. */
  children: ReactNode;
  /** The destructive button's label ("Delete", "Remove") and its label while working. */
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  /** Not ready to confirm yet (e.g. still counting what it would change): the button says so. */
  confirmUnavailable?: boolean;
  /** Another way out offered before the confirmation (e.g. "Export first"). */
  alternative?: ReactNode;
  onConfirm: () => void;
  onClose: () => void;
};

/**
 * Asks before something that cannot be taken back: an alertdialog whose description says what
 * happens, a danger button, and Cancel, which has focus first so Enter does no harm.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  pendingLabel,
  pending,
  confirmUnavailable = false,
  alternative,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const descriptionId = useId();
  return (
    <Dialog
      title={title}
      role="alertdialog"
      onClose={onClose}
      initialFocus={cancelRef}
      describedBy={descriptionId}
    >
      <div id={descriptionId} className="dialog-text">
        {children}
      </div>
      <div className="form-actions">
        {alternative}
        <PendingButton
          type="button"
          className="button-danger"
          pending={pending}
          pendingLabel={pendingLabel}
          aria-disabled={confirmUnavailable ? true : undefined}
          onClick={() => {
            if (!confirmUnavailable) onConfirm();
          }}
        >
          {confirmLabel}
        </PendingButton>
        <button ref={cancelRef} type="button" className="button button-secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
