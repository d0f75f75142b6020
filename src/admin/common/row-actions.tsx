type RowActionsProps = {
  /** What the row is, for the buttons' accessible names: "Edit carrier_de". */
  name: string;
  onEdit: () => void;
  /** Without it there is no Delete button (the person may not delete this). */
  onDelete?: (() => void) | undefined;
};

/** A table row's Edit and Delete buttons. */
export function RowActions({ name, onEdit, onDelete }: RowActionsProps) {
  return (
    <div className="row-actions">
      <button
        type="button"
        className="button button-secondary button-small"
        aria-label={`Edit ${name}`}
        onClick={onEdit}
      >
        Edit
      </button>
      {onDelete ? (
        <button
          type="button"
          className="button button-secondary button-small button-danger-text"
          aria-label={`Delete ${name}`}
          onClick={onDelete}
        >
          Delete
        </button>
      ) : null}
    </div>
  );
}
