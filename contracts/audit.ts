import { z } from 'zod';
import { textSchema } from './text';
import { pageSchema, pagingQueryShape } from './paging';

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.number().int().nullable(),
  actorUsername: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditListQuerySchema = z
  .object({
    actor: textSchema('actor').max(64, { error: 'actor must be at most 64 characters' }).optional(),
    entity: textSchema('entity').max(64, { error: 'entity must be at most 64 characters' }).optional(),
    action: textSchema('action').max(64, { error: 'action must be at most 64 characters' }).optional(),
    ...pagingQueryShape,
  })
  .strict();
export type AuditListQuery = z.infer<typeof auditListQuerySchema>;

export const auditListSchema = pageSchema(auditEntrySchema);
export type AuditList = z.infer<typeof auditListSchema>;
