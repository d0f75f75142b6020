import type { User } from '../../../contracts/users';
import type { UserRow } from '../../store/users-repository';

/** The API's view of a user: never a password hash or SIP secret. */
export function presentUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    email: row.email,
    extension: row.extension,
    location: row.location,
    role: row.role,
    profileId: row.profileId,
    profileName: row.profileName,
    callListPrivacy: row.callListPrivacy,
    groups: row.groups,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
