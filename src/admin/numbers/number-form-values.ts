import { z } from 'zod';
import {
  numberCreateSchema,
  numberUpdateSchema,
  type NumberAssignment,
  type NumberUpdate,
  type PhoneNumber,
} from '../../../contracts/numbers';

export type AssignmentKind = 'none' | 'user' | 'group' | 'queue';

/** The person a number rings, as the picker shows them. */
export type ChosenUser = { id: number; displayName: string; username: string };

/** The number form's fields, named after the request paths they fill. */
export type NumberFormValues = {
  number: string;
  label: string;
  /** The profile's id as the select holds it; '' is the account's pool. */
  profileId: string;
  'assignment.kind': AssignmentKind;
  'assignment.userId': ChosenUser | null;
  /** The group's id as the select holds it; '' is none chosen. */
  'assignment.groupId': string;
  /** The queue's id as the select holds it; '' is none chosen. */
  'assignment.queueId': string;
};

export const blankNumber: NumberFormValues = {
  number: '',
  label: '',
  profileId: '',
  'assignment.kind': 'none',
  'assignment.userId': null,
  'assignment.groupId': '',
  'assignment.queueId': '',
};

export function numberValues(number: PhoneNumber): NumberFormValues {
  const assignment = number.assignment;
  return {
    number: number.number,
    label: number.label,
    profileId: number.profile ? String(number.profile.id) : '',
    'assignment.kind': assignment?.kind ?? 'none',
    'assignment.userId':
      assignment?.kind === 'user'
        ? { id: assignment.userId, displayName: assignment.displayName, username: assignment.username }
        : null,
    'assignment.groupId': assignment?.kind === 'group' ? String(assignment.groupId) : '',
    'assignment.queueId': assignment?.kind === 'queue' ? String(assignment.queueId) : '',
  };
}

/** The assignment chosen, or the sentence saying what is missing. */
function assignmentOf(values: NumberFormValues): { assignment: NumberAssignment } | { missing: string } {
  const kind = values['assignment.kind'];
  if (kind === 'none') return { assignment: null };
  if (kind === 'user') {
    const user = values['assignment.userId'];
    return user ? { assignment: { kind: 'user', userId: user.id } } : { missing: 'choose the user it rings' };
  }
  if (kind === 'queue') {
    const queueId = values['assignment.queueId'];
    return queueId
      ? { assignment: { kind: 'queue', queueId: Number(queueId) } }
      : { missing: 'choose the queue its callers wait in' };
  }
  const groupId = values['assignment.groupId'];
  return groupId
    ? { assignment: { kind: 'group', groupId: Number(groupId) } }
    : { missing: 'choose the group it rings' };
}

/** The request field of each kind's picker. */
const pickerField = { user: 'userId', group: 'groupId', queue: 'queueId' } as const;

/** The schema's answer, with "choose …" on the picker when a user, group or queue is still to be chosen. */
function parseWith<T>(schema: z.ZodType<T>, values: NumberFormValues, input: Record<string, unknown>) {
  const chosen = assignmentOf(values);
  const result = schema.safeParse({ ...input, assignment: 'missing' in chosen ? null : chosen.assignment });
  if (!('missing' in chosen)) return result;
  const kind = values['assignment.kind'];
  const field = kind === 'none' ? 'kind' : pickerField[kind];
  const issues = [
    ...(result.success ? [] : result.error.issues),
    { code: 'custom' as const, path: ['assignment', field], message: chosen.missing, input: undefined },
  ];
  return { success: false as const, error: new z.ZodError(issues) as z.ZodError<T> };
}

const profileIdOf = (values: NumberFormValues) => (values.profileId ? Number(values.profileId) : null);

export const parseNewNumber = (values: NumberFormValues) =>
  parseWith(numberCreateSchema, values, {
    number: values.number.trim(),
    label: values.label,
    profileId: profileIdOf(values),
  });

/** The form edits the profile a number belongs to, its label and whom it rings. */
export const numberEditSchema = numberUpdateSchema.required();

export const parseNumberEdit = (values: NumberFormValues) =>
  parseWith(numberEditSchema, values, { label: values.label, profileId: profileIdOf(values) });

/** Only what changed, so the audit log shows exactly what the person did. */
export function numberChanges(number: PhoneNumber, next: z.infer<typeof numberEditSchema>): NumberUpdate {
  const change: NumberUpdate = {};
  if (next.label !== number.label) change.label = next.label;
  if (next.profileId !== (number.profile?.id ?? null)) change.profileId = next.profileId;
  const before = number.assignment;
  const same = sameAssignment(before, next.assignment);
  if (!same) change.assignment = next.assignment;
  return change;
}

function sameAssignment(before: PhoneNumber['assignment'], next: NumberAssignment): boolean {
  if (next === null || before === null) return next === before;
  if (next.kind === 'user') return before.kind === 'user' && before.userId === next.userId;
  if (next.kind === 'group') return before.kind === 'group' && before.groupId === next.groupId;
  return before.kind === 'queue' && before.queueId === next.queueId;
}
