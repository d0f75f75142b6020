import { http, HttpResponse } from 'msw';
import { reportQuerySchema, type AgentReport, type QueueReport } from '../../../contracts/queue-reports';
import { DEMO_REPORT_DAY } from '../demo-contact-center';
import { fakeDb } from '../fake-db';
import { validationFailed } from './api-errors';
import { requireRoleOf } from './roles';

/** The day asked for (today when left out), or the server's refusal of a malformed one. */
function dayOf(request: Request): { date: string; refused: null } | { date: null; refused: Response } {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = reportQuerySchema.safeParse(params);
  if (!parsed.success) return { date: null, refused: validationFailed(parsed.error) };
  return { date: parsed.data.date ?? new Date().toISOString().slice(0, 10), refused: null };
}

/** `/api/reports/queues` and `/agents` (supervisors and admins): the demo day's rows, none on other days. */
export const queueReportHandlers = [
  http.get('/api/reports/queues', ({ request }) => {
    const refused = requireRoleOf('supervisor');
    if (refused) return refused;
    const day = dayOf(request);
    if (day.date === null) return day.refused;
    const items = day.date === DEMO_REPORT_DAY ? fakeDb.state.queueReport : [];
    return HttpResponse.json<QueueReport>({ date: day.date, items });
  }),
  http.get('/api/reports/agents', ({ request }) => {
    const refused = requireRoleOf('supervisor');
    if (refused) return refused;
    const day = dayOf(request);
    if (day.date === null) return day.refused;
    const items = day.date === DEMO_REPORT_DAY ? fakeDb.state.agentReport : [];
    return HttpResponse.json<AgentReport>({ date: day.date, items });
  }),
];
