import { expect } from 'vitest';
import { ApiClient } from '../../api/support/api-client';
import type { EdgeTestServer } from '../edge-test-server';

/** An API client signed in as a seeded user (with the demo seed's password). */
export async function signedIn(server: EdgeTestServer, user: string): Promise<ApiClient> {
  const client = new ApiClient(server.url);
  expect((await client.signIn(user, server.passwords.get(user) ?? '')).status).toBe(200);
  return client;
}

/** Signs each of `users` in and keeps their clients in `clients`, by username. */
export async function signInAll(
  server: EdgeTestServer,
  clients: Map<string, ApiClient>,
  users: string[],
): Promise<void> {
  for (const user of users) clients.set(user, await signedIn(server, user));
}
