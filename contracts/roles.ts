import { z } from 'zod';

/** Console roles, least to most powerful. Each includes what the ones before it may do. */
export const roles = ['agent', 'operator', 'supervisor', 'admin'] as const;
export const roleSchema = z.enum(roles, {
  error: `role must be one of: ${roles.join(', ')}`,
});
export type Role = (typeof roles)[number];

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return roles.indexOf(role) >= roles.indexOf(minimum);
}
