import type { Flag, Profile } from '../../../contracts/profiles';
import type { RecordingMode } from '../../../contracts/recordings';
import type { Me } from '../../../contracts/users';
import type { LiveCounts } from '../../events/live-counts';
import type { ProfileRow } from '../../store/profiles-repository';

export function presentProfile(row: ProfileRow, live: LiveCounts): Profile {
  return {
    id: row.id,
    name: row.name,
    capacity: row.capacity,
    channelLimit: row.channelLimit,
    flags: row.flags,
    bargeGroup: row.bargeGroup,
    monitorNotice: row.monitorNotice,
    recording: row.recording as RecordingMode,
    recordingRetentionDays: row.recordingRetentionDays,
    recordingNotice: row.recordingNotice,
    userCount: row.userCount,
    seatsInUse: live.seatsInUse(row.id),
    channelsInUse: live.channelsInUse(row.id),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What a signed-in user learns about their own profile: the features it allows. */
export function profileSummary(row: ProfileRow | undefined): Me['profile'] {
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    flags: row.flags as Flag[],
    bargeGroup: row.bargeGroup,
    monitorNotice: row.monitorNotice,
    recording: row.recording as RecordingMode,
    recordingNotice: row.recordingNotice,
    recordingRetentionDays: row.recordingRetentionDays,
  };
}
