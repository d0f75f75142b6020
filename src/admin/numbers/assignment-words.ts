import type { PhoneNumber } from '../../../contracts/numbers';

/** Whom a carrier's call to the number rings, in words. */
export function assignmentWords(assignment: PhoneNumber['assignment']): string {
  if (assignment === null) return 'Unassigned — callers hear “not in service”';
  if (assignment.kind === 'user') return `${assignment.displayName} (${assignment.username})`;
  if (assignment.kind === 'queue') return `Queue ${assignment.name}: callers wait for an agent`;
  return `Group ${assignment.name}: every signed-in member`;
}
