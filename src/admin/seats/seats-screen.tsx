import { useQuery } from '@tanstack/react-query';
import type { Profile } from '../../../contracts/profiles';
import { formatDateTime } from '../../lib/format-time';
import { PendingButton } from '../../lib/pending-button';
import { useToaster } from '../../lib/toast-provider';
import { DataTable } from '../common/data-table';
import { profileQueries } from '../common/profile-queries';
import { QueryState } from '../query-state';
import { deviceName } from './device-name';
import { RelayStatusLine } from './relay-status-line';
import { seatQueries, useSignOutSeat } from './seat-queries';
import type { Seat } from '../../../contracts/sip';

type SeatGroup = { key: string; title: string; capacity: number | null; seats: Seat[] };

/** Every profile with who holds its seats; seats on profiles not (yet) listed come last. */
export function seatGroups(profiles: readonly Profile[], seats: readonly Seat[]): SeatGroup[] {
  const groups: SeatGroup[] = profiles.map((profile) => ({
    key: `profile-${profile.id}`,
    title: profile.name,
    capacity: profile.capacity,
    seats: seats.filter((seat) => seat.profileId === profile.id),
  }));
  const known = new Set(profiles.map((profile) => profile.id));
  const others = seats.filter((seat) => !known.has(seat.profileId));
  if (others.length) groups.push({ key: 'other', title: 'Other', capacity: null, seats: others });
  return groups;
}

/** Who is signed in to the phone, per profile, since when and on what; sign a seat out. */
export function SeatsScreen() {
  const seats = useQuery(seatQueries.list());
  const profiles = useQuery(profileQueries.list());
  const signedIn = seats.data?.length ?? 0;

  return (
    <div className="screen">
      <QueryState query={seats} what="seats">
        {(seatItems) => (
          <QueryState query={profiles} what="profiles">
            {(profileItems) => (
              <>
                <p className="screen-summary" role="status">
                  {signedIn === 0
                    ? 'Nobody is signed in to the phone right now.'
                    : `${signedIn} ${signedIn === 1 ? 'phone is' : 'phones are'} signed in.`}
                </p>
                <RelayStatusLine />
                {seatGroups(profileItems, seatItems).map((group) => (
                  <SeatGroupSection key={group.key} group={group} />
                ))}
              </>
            )}
          </QueryState>
        )}
      </QueryState>
    </div>
  );
}

function SeatGroupSection({ group }: { group: SeatGroup }) {
  return (
    <section className="seat-group" aria-label={`Seats of ${group.title}`}>
      <h4 className="subheading">
        <span className="entity-name">{group.title}</span>{' '}
        <span className="heading-meta">
          {group.capacity === null
            ? `${group.seats.length} signed in`
            : `${group.seats.length} of ${group.capacity} signed in`}
        </span>
      </h4>
      {group.seats.length === 0 ? (
        <p className="empty-state">Nobody is signed in on {group.title}.</p>
      ) : (
        <DataTable caption={`Seats of ${group.title}`} columns={['Person', 'Since', 'Device']} actions>
          {group.seats.map((seat) => (
            <SeatRow key={seat.id} seat={seat} />
          ))}
        </DataTable>
      )}
    </section>
  );
}

function SeatRow({ seat }: { seat: Seat }) {
  const signOut = useSignOutSeat();
  const toaster = useToaster();
  return (
    <tr>
      <th scope="row">
        {seat.displayName}{' '}
        <span className="muted">
          ({seat.username} · {seat.extension})
        </span>
      </th>
      <td>
        <time dateTime={seat.since}>{formatDateTime(seat.since)}</time>
      </td>
      <td>
        <span title={seat.userAgent ?? undefined}>{deviceName(seat.userAgent)}</span>
        <span className="muted"> · {seat.remoteAddress}</span>
      </td>
      <td>
        <PendingButton
          type="button"
          variant="secondary"
          className="button-small"
          pending={signOut.isPending}
          pendingLabel="Signing out…"
          aria-label={signOut.isPending ? undefined : `Sign out ${seat.displayName}`}
          onClick={() =>
            signOut.mutate(seat.id, {
              onSuccess: () =>
                toaster.success(`${seat.displayName} is signed out of the phone on that device.`),
              onError: (error) => toaster.failure(`Could not sign out ${seat.displayName}`, error),
            })
          }
        >
          Sign out
        </PendingButton>
      </td>
    </tr>
  );
}
