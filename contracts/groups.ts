import { z } from 'zod';
import { nameSchema } from './names';

export const groupCreateSchema = z.object({ name: nameSchema('name') }).strict();
export type GroupCreate = z.infer<typeof groupCreateSchema>;

export const groupUpdateSchema = z.object({ name: nameSchema('name') }).strict();
export type GroupUpdate = z.infer<typeof groupUpdateSchema>;

export const groupMemberSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  extension: z.string(),
});
export type GroupMember = z.infer<typeof groupMemberSchema>;

export const groupSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  members: z.array(groupMemberSchema),
  /** Profiles whose users may monitor this group's members. */
  bargeProfiles: z.array(z.string()),
  createdAt: z.string(),
});
export type Group = z.infer<typeof groupSchema>;

export const groupListSchema = z.object({ items: z.array(groupSchema) });
export type GroupList = z.infer<typeof groupListSchema>;
