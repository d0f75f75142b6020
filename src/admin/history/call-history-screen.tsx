import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { dispositions, type Disposition } from '../../../contracts/calls';
import { actorOfMe } from '../../../contracts/policy/actor-of-me';
import { canDeleteRecording } from '../../../contracts/policy/recording-access';
import type { Me, User } from '../../../contracts/users';
import { SelectField } from '../../lib/select-field';
import { TextField } from '../../lib/text-field';
import { Pager } from '../pager';
import { ProfileOptions } from '../common/profile-options';
import { QueryState } from '../query-state';
import { UserSearch } from '../common/user-search';
import { callExportUrl, callQueries, type CallFilters } from './call-queries';
import { CallsTable, dispositionLabels } from './calls-table';
import { endOfLocalDay, startOfLocalDay } from './local-date';

type CallHistoryScreenProps = {
  /** `all`: everyone's calls (supervisor, admin); `own`: the signed-in person's. */
  scope: 'all' | 'own';
  me: Me;
};

/** Call records, filtered and paged on the server, with the same filters exported as CSV. */
export function CallHistoryScreen({ scope, me }: CallHistoryScreenProps) {
  const [user, setUser] = useState<Pick<User, 'id' | 'displayName'> | null>(null);
  const [profileId, setProfileId] = useState('');
  const [disposition, setDisposition] = useState<Disposition | ''>('');
  const [fromDate, setFromDate] = useState('');
  const [toDate, setToDate] = useState('');
  const [pageIndex, setPageIndex] = useState(0);
  const everyone = scope === 'all';

  const from = startOfLocalDay(fromDate);
  const to = endOfLocalDay(toDate);
  const rangeError = from && to && from >= to ? 'The first day is after the last day.' : undefined;
  const filters = useMemo<CallFilters>(
    () => ({
      ...(user ? { userId: user.id } : {}),
      ...(profileId ? { profileId: Number(profileId) } : {}),
      ...(disposition ? { disposition } : {}),
      ...(from && !rangeError ? { from } : {}),
      ...(to && !rangeError ? { to } : {}),
    }),
    [user, profileId, disposition, from, to, rangeError],
  );
  const calls = useQuery(callQueries.page(filters, pageIndex));

  /** Every filter change starts again at the first page. */
  function changing<T>(set: (value: T) => void) {
    return (value: T) => {
      set(value);
      setPageIndex(0);
    };
  }

  return (
    <div className="screen">
      <div role="search" className="filters" aria-label="Filter calls">
        {everyone ? (
          user ? (
            <div className="field">
              <span className="field-label">User</span>
              <p className="chosen-filter">
                {user.displayName}
                <button
                  type="button"
                  className="button button-secondary button-small"
                  aria-label={`Any user instead of ${user.displayName}`}
                  onClick={() => changing(setUser)(null)}
                >
                  Any user
                </button>
              </p>
            </div>
          ) : (
            <UserSearch label="User" actionLabel="Show calls of" onPick={changing(setUser)} />
          )
        ) : null}
        {everyone ? (
          <SelectField
            label="Profile"
            value={profileId}
            onChange={(event) => changing(setProfileId)(event.target.value)}
          >
            <ProfileOptions none="Any profile" />
          </SelectField>
        ) : null}
        <SelectField
          label="Outcome"
          value={disposition}
          onChange={(event) => changing(setDisposition)(event.target.value as Disposition | '')}
        >
          <option value="">Any outcome</option>
          {dispositions.map((candidate) => (
            <option key={candidate} value={candidate}>
              {dispositionLabels[candidate]}
            </option>
          ))}
        </SelectField>
        <TextField
          label="From day"
          type="date"
          value={fromDate}
          onChange={(event) => changing(setFromDate)(event.target.value)}
        />
        <TextField
          label="To day"
          type="date"
          value={toDate}
          onChange={(event) => changing(setToDate)(event.target.value)}
          error={rangeError}
        />
      </div>
      <div className="screen-toolbar">
        <a
          className="button button-secondary"
          href={callExportUrl(filters)}
          download
          aria-label="Export CSV of the calls these filters match"
        >
          Export CSV
        </a>
      </div>
      <QueryState query={calls} what="calls">
        {(page) =>
          page.total === 0 ? (
            <p className="empty-state">
              {Object.keys(filters).length > 0
                ? 'No calls match these filters. Widen the dates or choose “Any” to see more.'
                : everyone
                  ? 'No calls yet. Calls show here as soon as anyone places one.'
                  : 'You have no calls yet. Calls you make or take show here.'}
            </p>
          ) : (
            <>
              <CallsTable
                calls={page.items}
                canDeleteRecordings={canDeleteRecording(actorOfMe(me)).allowed}
              />
              <Pager page={page} what="calls" setPageIndex={setPageIndex} />
            </>
          )
        }
      </QueryState>
    </div>
  );
}
