import { http, HttpResponse } from 'msw';
import type { AuditList } from '../../../contracts/audit';
import { fakeDb } from '../fake-db';
import { pageOf } from './api-errors';

export const auditHandlers = [
  http.get('/api/audit', ({ request }) => {
    const url = new URL(request.url);
    const actor = url.searchParams.get('actor');
    const entity = url.searchParams.get('entity');
    const action = url.searchParams.get('action');
    const found = fakeDb.state.audit.filter(
      (entry) =>
        (!actor || entry.actorUsername === actor) &&
        (!entity || entry.entity === entity) &&
        (!action || entry.action === action),
    );
    return HttpResponse.json<AuditList>(pageOf(found, url));
  }),
];
