import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLogins, startServer } from './support/server-process';
import type { ServerProcess } from './support/server-process';

// The e2e harness itself, and what it exists to prove: the server keeps its data across restarts.

describe('parseLogins', () => {
  it('reads the demo logins printed under their header, and nothing else', () => {
    const output = [
      'listening on http://0.0.0.0:8080',
      'Demo logins (shown once):',
      '  username    password          role        extension',
      '  admin       Xy7-abc-def       admin       1000',
      '  agent1      q!w2e3            agent       1003',
      'GET /api/health 200',
    ].join('\n');
    expect(parseLogins(output)).toEqual({
      admin: { password: 'Xy7-abc-def', role: 'admin', extension: '1000' },
      agent1: { password: 'q!w2e3', role: 'agent', extension: '1003' },
    });
  });
});

describe('startServer', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServer({ buildWeb: false });
  });

  afterAll(async () => {
    await server?.stop();
  });

  async function signIn(username: string): Promise<Response> {
    const login = server.logins[username];
    if (!login) throw new Error(`No ${username} login was printed. Output:\n${server.output()}`);
    return fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password: login.password }),
    });
  }

  it('prints each demo login once, with its role and extension', () => {
    expect(
      Object.values(server.logins)
        .map((login) => login.role)
        .sort(),
    ).toEqual(['admin', 'agent', 'agent', 'agent', 'operator', 'supervisor']);
  });

  it('keeps users and sessions across a restart and a crash', async () => {
    const first = await signIn('supervisor');
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie')?.split(';')[0] ?? '';

    await server.restart();
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie } })).status).toBe(200);

    await server.kill('SIGKILL');
    await server.restart();
    expect((await signIn('agent1')).status).toBe(200);
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie } })).status).toBe(200);
  });
});
