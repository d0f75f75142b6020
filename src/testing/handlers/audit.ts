import { http, HttpResponse } from 'msw';
import type { AuditList } from '../../../contracts/audit';
import { demoAudit } from '../demo-data';

export const auditHandlers = [
  http.get('/api/audit', () =>
    HttpResponse.json<AuditList>({ items: demoAudit, total: demoAudit.length, offset: 0, limit: 50 }),
  ),
];
