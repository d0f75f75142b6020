import { auditActionLabels, auditEntityLabels } from '../../../contracts/audit-actions';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { formatDateTime } from '../../lib/format-time';
import { SelectField } from '../../lib/select-field';
import { TableScroll } from '../../lib/table-scroll';
import { TextField } from '../../lib/text-field';
import { useDebouncedState } from '../../lib/use-debounced-value';
import { usePageIndex } from '../common/use-page-index';
import { Pager } from '../pager';
import { QueryState } from '../query-state';
import { auditSubjectName } from './audit-changes';
import { AuditDiff } from './audit-diff';
import { auditQueries, type AuditFilters } from './audit-queries';

/** Every change made in the console: who, when, what, before → after. */
export function AuditScreen() {
  const [actorText, settledActorText, setActorText] = useDebouncedState('', 250);
  const [entity, setEntity] = useState('');
  const [action, setAction] = useState('');
  const actor = settledActorText.trim();
  const filters = useMemo<AuditFilters>(
    () => ({ ...(actor ? { actor } : {}), ...(entity ? { entity } : {}), ...(action ? { action } : {}) }),
    [actor, entity, action],
  );
  const [pageIndex, setPageIndex] = usePageIndex(filters);
  const audit = useQuery(auditQueries.page(filters, pageIndex));

  return (
    <div className="screen">
      <div role="search" className="filters" aria-label="Filter the audit log">
        <TextField
          label="Who"
          type="search"
          hint="A username, exactly."
          autoCapitalize="none"
          spellCheck={false}
          maxLength={64}
          value={actorText}
          onChange={(event) => setActorText(event.target.value)}
        />
        <SelectField label="Entity" value={entity} onChange={(event) => setEntity(event.target.value)}>
          <option value="">Anything</option>
          {Object.entries(auditEntityLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <SelectField label="Action" value={action} onChange={(event) => setAction(event.target.value)}>
          <option value="">Any action</option>
          {Object.entries(auditActionLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
      </div>
      <QueryState query={audit} what="audit log">
        {(page) =>
          page.total === 0 ? (
            <p className="empty-state">
              {Object.keys(filters).length
                ? 'No entries match these filters. Clear one to see more.'
                : 'Nothing has been changed yet. Every change made in the console will show here.'}
            </p>
          ) : (
            <>
              <TableScroll label="Audit log table">
                <table className="data-table audit-table">
                  <caption className="visually-hidden">Audit log</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Who</th>
                      <th scope="col">What</th>
                      <th scope="col">Changes</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((entry) => {
                      const subject = auditSubjectName(entry.before, entry.after);
                      return (
                        <tr key={entry.id}>
                          <td>
                            <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                          </td>
                          <td>{entry.actorUsername}</td>
                          <td>
                            {labelOf(entry.action)}
                            <span className="audit-subject">
                              {' '}
                              {entry.entity}
                              {subject ? ` ${subject}` : ''}
                              {entry.entityId ? <span className="muted"> #{entry.entityId}</span> : null}
                            </span>
                          </td>
                          <td>
                            <AuditDiff before={entry.before} after={entry.after} />
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </TableScroll>
              <Pager page={page} what="entries" setPageIndex={setPageIndex} />
            </>
          )
        }
      </QueryState>
    </div>
  );
}

/** The console's words for an action; an unknown one (written by a newer server) as it is. */
function labelOf(action: string): string {
  return action in auditActionLabels ? auditActionLabels[action as keyof typeof auditActionLabels] : action;
}
