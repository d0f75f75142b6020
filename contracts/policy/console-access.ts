import { roleAtLeast, type Role } from '../roles';
import { allow, refuse, type Decision } from './decision';

/** The signed-in person as policy sees them. */
export type Actor = {
  id: number;
  role: Role;
  profileId: number | null;
  /** The barge group of the actor's profile, if any. */
  bargeGroup: string | null;
};

export function requireRole(actor: Actor, minimum: Role): Decision {
  return roleAtLeast(actor.role, minimum)
    ? allow
    : refuse(
        `This needs the ${minimum} role or higher; you are signed in as ${article(actor.role)} ${actor.role}.`,
      );
}

function article(role: Role): string {
  return role === 'agent' || role === 'operator' || role === 'admin' ? 'an' : 'a';
}

/** Supervisors adjust profiles, but never the one they are on themselves. */
export function canChangeProfile(actor: Actor, profileId: number): Decision {
  const role = requireRole(actor, 'supervisor');
  if (!role.allowed) return role;
  if (actor.role === 'supervisor' && actor.profileId === profileId)
    return refuse('A supervisor may not change the profile they are on; ask an admin.');
  return allow;
}

export function canCreateProfile(actor: Actor): Decision {
  return requireRole(actor, 'supervisor');
}

export function canDeleteProfile(actor: Actor): Decision {
  return requireRole(actor, 'admin');
}

export function canReadProfiles(actor: Actor): Decision {
  return requireRole(actor, 'supervisor');
}

/** Operators read users too: they add members to their barge group by searching. */
export function canReadUsers(actor: Actor): Decision {
  return requireRole(actor, 'operator');
}

export function canManageUsers(actor: Actor): Decision {
  return requireRole(actor, 'admin');
}

export function canReadGroups(actor: Actor): Decision {
  return requireRole(actor, 'operator');
}

export function canManageGroups(actor: Actor): Decision {
  return requireRole(actor, 'supervisor');
}

/** Supervisors manage every group's members; operators only their own barge group's. */
export function canChangeMembership(actor: Actor, groupName: string): Decision {
  if (roleAtLeast(actor.role, 'supervisor')) return allow;
  const role = requireRole(actor, 'operator');
  if (!role.allowed) return role;
  if (actor.bargeGroup === groupName) return allow;
  return refuse(
    actor.bargeGroup
      ? `Operators may change only their own barge group (${actor.bargeGroup}), not ${groupName}.`
      : 'Your profile has no barge group, so you may not change group members.',
  );
}

/** Trunks hold carrier credentials and decide where calls go and what they cost: admins only. */
export function canManageTrunks(actor: Actor): Decision {
  return requireRole(actor, 'admin');
}

/** Numbers decide who a customer's call reaches: admins only. */
export function canManageNumbers(actor: Actor): Decision {
  return requireRole(actor, 'admin');
}

export function canReadAudit(actor: Actor): Decision {
  return requireRole(actor, 'supervisor');
}

/** Whose calls a person may list: their own always; everyone's from supervisor up. */
export function callListScope(actor: Actor): 'own' | 'all' {
  return roleAtLeast(actor.role, 'supervisor') ? 'all' : 'own';
}

/** Queues decide who gets a customer's call: supervisors and admins. */
export function canManageQueues(actor: Actor): Decision {
  return requireRole(actor, 'supervisor');
}

export function canManageReasonCodes(actor: Actor): Decision {
  return requireRole(actor, 'supervisor');
}

/** Every signed-in person may list the reason codes: agents pick one for Not ready. */
export function canReadReasonCodes(actor: Actor): Decision {
  return requireRole(actor, 'agent');
}

/** Agents and up set their own state with one click. */
export function canChangeOwnAgentState(actor: Actor): Decision {
  return requireRole(actor, 'agent');
}

/** The wallboard's queue figures: operators and up. */
export function canReadWallboard(actor: Actor): Decision {
  return requireRole(actor, 'operator');
}

/** Per-day queue and agent reports: supervisors and admins. */
export function canReadContactCenterReports(actor: Actor): Decision {
  return requireRole(actor, 'supervisor');
}

/**
 * Whose agent states (and state history) a person may see: everyone's from supervisor up; an
 * operator their barge group's, as on the operator panel; an agent only their own.
 */
export function agentStateScope(actor: Actor): 'all' | 'barge_group' | 'own' {
  if (roleAtLeast(actor.role, 'supervisor')) return 'all';
  return actor.role === 'operator' ? 'barge_group' : 'own';
}

/** The account's balance, each profile's credit and the rate table: supervisors and admins read them. */
export function canReadCredit(actor: Actor): Decision {
  return requireRole(actor, 'supervisor');
}

/** Money into or out of the account, and its currency: admins only. */
export function canManageAccount(actor: Actor): Decision {
  return requireRole(actor, 'admin');
}

/** Allocating and taking back credit: supervisors and admins, but a supervisor never on their own profile. */
export function canAllocateCredit(actor: Actor, profileId: number): Decision {
  const role = requireRole(actor, 'supervisor');
  if (!role.allowed) return role;
  if (actor.role === 'supervisor' && actor.profileId === profileId)
    return refuse('A supervisor may not move credit to or from the profile they are on; ask an admin.');
  return allow;
}

/** Rates decide what calls cost: admins only. */
export function canManageRates(actor: Actor): Decision {
  return requireRole(actor, 'admin');
}
