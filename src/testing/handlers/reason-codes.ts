import { http, HttpResponse } from 'msw';
import { reasonCodeCreateSchema, type ReasonCode } from '../../../contracts/agent-states';
import { fakeDb } from '../fake-db';
import { conflictOn, notFound, validationFailed } from './api-errors';
import { requireRoleOf } from './roles';

type IdParams = { id: string };

/** `/api/reason-codes`: everyone lists them, supervisors and admins change them. */
export const reasonCodeHandlers = [
  http.get('/api/reason-codes', () => {
    const refused = requireRoleOf('agent');
    if (refused) return refused;
    return HttpResponse.json<{ items: ReasonCode[] }>({ items: fakeDb.state.reasonCodes });
  }),
  http.post('/api/reason-codes', async ({ request }) => {
    const refused = requireRoleOf('supervisor');
    if (refused) return refused;
    const parsed = reasonCodeCreateSchema.safeParse(await request.json());
    if (!parsed.success) return validationFailed(parsed.error);
    const { code, label } = parsed.data;
    if (fakeDb.state.reasonCodes.some((candidate) => candidate.code === code))
      return conflictOn('code', `The reason code ${code} already exists.`);
    const created: ReasonCode = { id: fakeDb.newId(), code, label };
    fakeDb.state.reasonCodes.push(created);
    return HttpResponse.json<ReasonCode>(created, { status: 201 });
  }),
  http.delete<IdParams>('/api/reason-codes/:id', ({ params }) => {
    const refused = requireRoleOf('supervisor');
    if (refused) return refused;
    const code = fakeDb.state.reasonCodes.find((candidate) => String(candidate.id) === params.id);
    if (!code) return notFound(`Reason code ${params.id}`);
    fakeDb.state.reasonCodes = fakeDb.state.reasonCodes.filter((candidate) => candidate !== code);
    return new HttpResponse(null, { status: 204 });
  }),
];
