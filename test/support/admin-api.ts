import type { ServerProcess } from './server-process';

/** JSON requests to a running server's API as its admin; a refusal throws with the status and the answer. */
export type AdminApi = <T>(method: string, route: string, body?: unknown) => Promise<T>;

/** Signs in as the admin the server printed at its first start, and returns its API with that session. */
export async function adminApi(server: ServerProcess): Promise<AdminApi> {
  const password = server.logins.admin?.password;
  if (!password) throw new Error(`No admin login printed:\n${server.output()}`);
  const signIn = await fetch(`${server.apiUrl}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${server.apiUrl}${route}`, {
      method,
      headers: { Cookie: cookie, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = response.status === 204 ? null : ((await response.json()) as unknown);
    if (!response.ok)
      throw new Error(`${method} ${route} answered ${response.status}: ${JSON.stringify(json)}`);
    return json as T;
  };
}
