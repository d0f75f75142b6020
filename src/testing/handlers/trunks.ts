import { http, HttpResponse } from 'msw';
import {
  trunkCreateSchema,
  trunkUpdateSchema,
  type Trunk,
  type TrunkAuth,
  type TrunkList,
  type TrunkStatus,
} from '../../../contracts/trunks';
import { fakeDb } from '../fake-db';
import { apiError, conflictOn, notFound, validationFailed } from './api-errors';

type IdParams = { id: string };

const find = (id: string) => fakeDb.state.trunks.find((trunk) => String(trunk.id) === id);

/** The server's refusals, word for word (server/http/trunks/routes.ts). */
const nameTaken = (name: string) => conflictOn('name', `A trunk named ${name} already exists.`);
const NEEDS_PASSWORD = 'a registering trunk needs a password';
const needsPassword = () =>
  apiError(400, {
    code: 'validation_failed',
    message: `Please correct the request: ${NEEDS_PASSWORD}.`,
    fields: { 'auth.password': NEEDS_PASSWORD },
  });

/** Not checked yet: as the server shows a trunk its edge has not asked about. */
const freshStatus = (trunk: Pick<Trunk, 'enabled' | 'auth'>): TrunkStatus => ({
  state: trunk.enabled ? 'unknown' : 'disabled',
  roundTripMs: null,
  checkedAt: null,
  lastError: null,
  registration:
    trunk.enabled && trunk.auth.kind === 'register' ? { state: 'registering', expiresAt: null } : null,
});

/** What the answer shows of the authentication: a password only as "one is stored". */
function shownAuth(auth: TrunkAuth, before?: Trunk['auth']): Trunk['auth'] | null {
  if (auth.kind === 'ip') return { kind: 'ip', addresses: [...new Set(auth.addresses)] };
  const stored = auth.password !== undefined || (before?.kind === 'register' && before.hasPassword);
  return stored ? { kind: 'register', username: auth.username, hasPassword: true } : null;
}

export const trunkHandlers = [
  http.get('/api/trunks', () =>
    HttpResponse.json<TrunkList>({ items: fakeDb.state.trunks, media: fakeDb.state.trunkMedia }),
  ),
  http.post('/api/trunks', async ({ request }) => {
    const parsed = trunkCreateSchema.safeParse(await request.json());
    if (!parsed.success) return validationFailed(parsed.error);
    const { auth, ...input } = parsed.data;
    const shown = shownAuth(auth);
    if (!shown) return needsPassword();
    if (fakeDb.state.trunks.some((trunk) => trunk.name === input.name)) return nameTaken(input.name);
    const now = new Date().toISOString();
    const trunk: Trunk = {
      id: fakeDb.newId(),
      ...input,
      auth: shown,
      status: freshStatus({ enabled: input.enabled, auth: shown }),
      createdAt: now,
      updatedAt: now,
    };
    fakeDb.state.trunks.push(trunk);
    return HttpResponse.json<Trunk>(trunk, { status: 201 });
  }),
  http.get<IdParams>('/api/trunks/:id', ({ params }) => {
    const trunk = find(params.id);
    return trunk ? HttpResponse.json<Trunk>(trunk) : notFound(`Trunk ${params.id}`);
  }),
  http.patch<IdParams>('/api/trunks/:id', async ({ params, request }) => {
    const trunk = find(params.id);
    if (!trunk) return notFound(`Trunk ${params.id}`);
    const parsed = trunkUpdateSchema.safeParse(await request.json());
    if (!parsed.success) return validationFailed(parsed.error);
    const { auth, ...change } = parsed.data;
    const shown = auth ? shownAuth(auth, trunk.auth) : trunk.auth;
    if (!shown) return needsPassword();
    if (change.name !== undefined && fakeDb.state.trunks.some((t) => t.name === change.name && t !== trunk))
      return nameTaken(change.name);
    const defined = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
    Object.assign(trunk, defined, { auth: shown, updatedAt: new Date().toISOString() });
    if (!trunk.enabled) trunk.status = freshStatus(trunk);
    return HttpResponse.json<Trunk>(trunk);
  }),
  http.delete<IdParams>('/api/trunks/:id', ({ params }) => {
    const trunk = find(params.id);
    if (!trunk) return notFound(`Trunk ${params.id}`);
    fakeDb.state.trunks = fakeDb.state.trunks.filter((candidate) => candidate !== trunk);
    return new HttpResponse(null, { status: 204 });
  }),
];
