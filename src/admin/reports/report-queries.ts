import { queryOptions } from '@tanstack/react-query';
import { agentReportSchema, queueReportSchema } from '../../../contracts/queue-reports';
import { apiClient } from '../../lib/api-client';
import { queryRoots } from '../../lib/query-keys';

type ReportKind = 'queues' | 'agents';

const query = (date: string) => (date ? `?${new URLSearchParams({ date }).toString()}` : '');

/** The CSV of one report for a day (`2026-12-06`; today when empty). */
export const reportExportUrl = (kind: ReportKind, date: string) =>
  `/api/reports/${kind}/export.csv${query(date)}`;

/**
 * The per-day reports. Under the wallboard's root, so the same `call` and `agent` events
 * that move the wallboard refresh today's report.
 */
export const reportQueries = {
  queues: (date: string) =>
    queryOptions({
      queryKey: [queryRoots.wallboard, 'report', 'queues', date] as const,
      queryFn: ({ signal }) =>
        apiClient.get(`/api/reports/queues${query(date)}`, { schema: queueReportSchema, signal }),
    }),
  agents: (date: string) =>
    queryOptions({
      queryKey: [queryRoots.wallboard, 'report', 'agents', date] as const,
      queryFn: ({ signal }) =>
        apiClient.get(`/api/reports/agents${query(date)}`, { schema: agentReportSchema, signal }),
    }),
};
