import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

describe('a first start on a port another program holds', () => {
  it('stops with a sentence and seeds nothing: the next start prints the logins', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const address = holder.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-e2e-'));
    try {
      const refused = await startServer({ buildWeb: false, port, dataDir }).then(
        () => new Error('the server started on a port in use'),
        (error: unknown) => error as Error,
      );
      expect(refused.message).toContain(`Port ${port} is in use by another program; set PORT to a free one.`);
      expect(parseLogins(refused.message)).toEqual({});
      await new Promise((resolve) => holder.close(resolve));

      const next = await startServer({ buildWeb: false, dataDir });
      try {
        expect(Object.keys(next.logins).sort()).toEqual([
          'admin',
          'agent1',
          'agent2',
          'agent3',
          'operator',
          'supervisor',
        ]);
        const signIn = await fetch(`${next.url}/api/session`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: next.logins.admin?.password }),
        });
        expect(signIn.status).toBe(200);
      } finally {
        await next.stop();
      }
    } finally {
      holder.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
