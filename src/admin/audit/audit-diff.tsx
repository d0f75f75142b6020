import { auditChanges, keyLabel } from './audit-changes';

/** Before → after of the keys an entry changed. */
export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const lines = auditChanges(before, after);
  if (lines.length === 0) return <span className="muted">No details</span>;
  return (
    <ul className="audit-diff">
      {lines.map((line) => (
        <li key={line.key}>
          <span className="diff-key">{keyLabel(line.key)}:</span>{' '}
          {line.kind === 'changed' ? (
            <>
              <del>{line.before}</del> <span aria-hidden="true">→</span>
              <span className="visually-hidden"> became </span> <ins>{line.after}</ins>
            </>
          ) : line.kind === 'set' ? (
            <ins>{line.after}</ins>
          ) : line.kind === 'was' ? (
            <del>{line.before}</del>
          ) : (
            <>
              {line.added.length ? <ins>added {line.added.join(', ')}</ins> : null}
              {line.added.length && line.removed.length ? '; ' : null}
              {line.removed.length ? <del>removed {line.removed.join(', ')}</del> : null}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
