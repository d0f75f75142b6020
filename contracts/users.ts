import { z } from 'zod';
import { textSchema } from './text';
import { nameSchema } from './names';
import { roleSchema } from './roles';
import { flagSchema } from './profiles';
import { recordingModeSchema } from './recordings';
import { pageSchema, pagingQueryShape, refIdQuerySchema, refIdSchema } from './paging';

export const callListPrivacies = ['complete', 'shortened', 'none'] as const;
export type CallListPrivacy = (typeof callListPrivacies)[number];
export const callListPrivacySchema = z.enum(callListPrivacies, {
  error: `call-list privacy must be one of: ${callListPrivacies.join(', ')}`,
});

const displayNameSchema = textSchema('display name')
  .trim()
  .min(1, { error: 'display name must not be empty' })
  .max(120, { error: 'display name must be at most 120 characters' });

const emailSchema = z
  .email({ error: 'email must be an address like name@example.com' })
  .max(254, { error: 'email must be at most 254 characters' })
  .nullable();

export const extensionSchema = z
  .string({ error: 'extension must be text' })
  .regex(/^[0-9]{2,15}$/, { error: 'extension must be 2 to 15 digits' });

const locationSchema = textSchema('location')
  .trim()
  .max(120, { error: 'location must be at most 120 characters' })
  .nullable();

/** A profile is named by its id; null leaves the user without one. */
const profileIdSchema = refIdSchema('profile').nullable();

export const userCreateSchema = z
  .object({
    username: nameSchema('username'),
    displayName: displayNameSchema,
    email: emailSchema.default(null),
    extension: extensionSchema,
    location: locationSchema.default(null),
    role: roleSchema.default('agent'),
    profileId: profileIdSchema.default(null),
    callListPrivacy: callListPrivacySchema.default('complete'),
  })
  .strict();
export type UserCreate = z.infer<typeof userCreateSchema>;

export const userUpdateSchema = z
  .object({
    displayName: displayNameSchema,
    email: emailSchema,
    extension: extensionSchema,
    location: locationSchema,
    role: roleSchema,
    profileId: profileIdSchema,
    callListPrivacy: callListPrivacySchema,
  })
  .partial()
  .strict();
export type UserUpdate = z.infer<typeof userUpdateSchema>;

export const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  extension: z.string(),
  location: z.string().nullable(),
  role: roleSchema,
  profileId: z.number().int().nullable(),
  profileName: z.string().nullable(),
  callListPrivacy: callListPrivacySchema,
  groups: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const userListQuerySchema = z
  .object({
    q: textSchema('search').max(100, { error: 'search must be at most 100 characters' }).optional(),
    role: roleSchema.optional(),
    profileId: refIdQuerySchema('profile').optional(),
    group: nameSchema('group').optional(),
    ...pagingQueryShape,
  })
  .strict();
export type UserListQuery = z.infer<typeof userListQuerySchema>;

export const userListSchema = pageSchema(userSchema);
export type UserList = z.infer<typeof userListSchema>;

/** Returned once, when a user is created or a password reset: the password is never shown again. */
export const userWithPasswordSchema = z.object({
  user: userSchema,
  password: z.string(),
});
export type UserWithPassword = z.infer<typeof userWithPasswordSchema>;

/** The signed-in user as the web app sees them. */
export const meSchema = z.object({
  user: userSchema,
  profile: z
    .object({
      id: z.number().int(),
      name: z.string(),
      flags: z.array(flagSchema),
      bargeGroup: z.string().nullable(),
      monitorNotice: z.boolean(),
      recording: recordingModeSchema,
      recordingNotice: z.boolean(),
      recordingRetentionDays: z.number().int(),
    })
    .nullable(),
});
export type Me = z.infer<typeof meSchema>;
