import { PendingButton } from '../../lib/pending-button';

type FormFooterProps = {
  /** Editing says "Save changes" / "Saving…"; creating says `createLabel` / `creatingLabel`. */
  editing: boolean;
  pending: boolean;
  /** "Create trunk", "Add number". */
  createLabel: string;
  /** "Creating…", "Adding…". */
  creatingLabel: string;
  onCancel: () => void;
};

/** The submit and Cancel buttons under a console form that creates a record or changes one. */
export function FormFooter({ editing, pending, createLabel, creatingLabel, onCancel }: FormFooterProps) {
  return (
    <div className="form-actions">
      <PendingButton type="submit" pending={pending} pendingLabel={editing ? 'Saving…' : creatingLabel}>
        {editing ? 'Save changes' : createLabel}
      </PendingButton>
      <button type="button" className="button button-secondary" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
