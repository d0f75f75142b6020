import { roles, type Role } from '../../../contracts/roles';
import type { ApiClient } from './api-client';
import type { TestServer } from './test-server';

/** Who asks in a role test: a signed-out browser or a user of each role. */
export type Who = 'signed out' | Role;

/** Signed out first, then every role from the least to the most allowed. */
export const everyone: Who[] = ['signed out', ...roles];

/** The demo seed's user of each role. */
export const demoUser: Record<Role, string> = {
  agent: 'agent1',
  operator: 'operator',
  supervisor: 'supervisor',
  admin: 'admin',
};

/** Signed out 401; below `minimum` 403; from `minimum` up, `ok`. */
export function from(minimum: Role, ok: number): Record<Who, number> {
  const expected = { 'signed out': 401 } as Record<Who, number>;
  for (const role of roles) expected[role] = roles.indexOf(role) >= roles.indexOf(minimum) ? ok : 403;
  return expected;
}

/** A signed-out client and one signed in as each role's demo user, kept in `clients`. */
export async function signInEveryone(server: TestServer, clients: Map<Who, ApiClient>): Promise<void> {
  clients.set('signed out', server.client());
  for (const role of roles) clients.set(role, await server.signIn(demoUser[role]));
}
