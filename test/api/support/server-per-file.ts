import { afterAll, beforeAll } from 'vitest';
import type { ApiClient } from './api-client';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server';

export type { TestServer };

/**
 * One test server for the whole file: started before its tests, closed after them. `ready` gets
 * the server and a client signed in as admin (most files need one) to keep or sign more users in.
 */
export function serverPerFile(
  ready: (server: TestServer, admin: ApiClient) => void | Promise<void>,
  options: TestServerOptions = {},
): void {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(options);
    await ready(server, await server.signIn('admin'));
  });
  afterAll(() => server?.close());
}
