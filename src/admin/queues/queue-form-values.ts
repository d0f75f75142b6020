import {
  queueCreateSchema,
  queueUpdateSchema,
  type Queue,
  type QueueCreate,
  type QueueOverflow,
  type QueueStrategy,
  type QueueUpdate,
} from '../../../contracts/queues';
import { numberOrUndefined } from '../../lib/form-errors';

/** A member as the form lists it: who, shown by name, with the priority as typed. */
export type MemberDraft = {
  kind: 'user' | 'group';
  id: number;
  /** "Agent One (agent1)" or the group's name. */
  label: string;
  priority: string;
};

/** The user a call overflows to, with the name the form shows (null until it is known). */
export type OverflowUser = { id: number; label: string | null };

/**
 * The queue form's fields, named after the request paths they fill ("overflow.reason"), so a
 * field error from the schema or the server lands on the field it is about.
 */
export type QueueFormValues = {
  name: string;
  extension: string;
  members: MemberDraft[];
  strategy: QueueStrategy;
  ringSeconds: string;
  maxWaitSeconds: string;
  'overflow.kind': QueueOverflow['kind'];
  'overflow.queueId': string;
  'overflow.userId': OverflowUser | null;
  'overflow.reason': string;
  wrapUpSeconds: string;
  serviceLevelSeconds: string;
  dispositions: string[];
};

export const blankQueue: QueueFormValues = {
  name: '',
  extension: '',
  members: [],
  strategy: 'longest_idle',
  ringSeconds: '20',
  maxWaitSeconds: '300',
  'overflow.kind': 'refuse',
  'overflow.queueId': '',
  'overflow.userId': null,
  'overflow.reason': 'Nobody can take your call now',
  wrapUpSeconds: '30',
  serviceLevelSeconds: '20',
  dispositions: [],
};

export function queueValues(queue: Queue): QueueFormValues {
  const { overflow } = queue;
  return {
    name: queue.name,
    extension: queue.extension,
    members: queue.members.map((member) =>
      member.kind === 'user'
        ? { kind: 'user', id: member.userId, label: member.username, priority: String(member.priority) }
        : { kind: 'group', id: member.groupId, label: member.name, priority: String(member.priority) },
    ),
    strategy: queue.strategy,
    ringSeconds: String(queue.ringSeconds),
    maxWaitSeconds: String(queue.maxWaitSeconds),
    'overflow.kind': overflow.kind,
    'overflow.queueId': overflow.kind === 'queue' ? String(overflow.queueId) : '',
    'overflow.userId': overflow.kind === 'user' ? { id: overflow.userId, label: null } : null,
    'overflow.reason': overflow.kind === 'refuse' ? overflow.reason : blankQueue['overflow.reason'],
    wrapUpSeconds: String(queue.wrapUpSeconds),
    serviceLevelSeconds: String(queue.serviceLevelSeconds),
    dispositions: [...queue.dispositions],
  };
}

function overflowOf(values: QueueFormValues) {
  switch (values['overflow.kind']) {
    case 'queue':
      return { kind: 'queue', queueId: numberOrUndefined(values['overflow.queueId']) };
    case 'user':
      return { kind: 'user', userId: values['overflow.userId']?.id };
    case 'refuse':
      return { kind: 'refuse', reason: values['overflow.reason'] };
  }
}

/** The request body the form describes, before the schema checks it. */
function toInput(values: QueueFormValues) {
  return {
    name: values.name.trim(),
    extension: values.extension.trim(),
    members: values.members.map((member) =>
      member.kind === 'user'
        ? { kind: 'user', userId: member.id, priority: numberOrUndefined(member.priority) }
        : { kind: 'group', groupId: member.id, priority: numberOrUndefined(member.priority) },
    ),
    strategy: values.strategy,
    ringSeconds: numberOrUndefined(values.ringSeconds),
    maxWaitSeconds: numberOrUndefined(values.maxWaitSeconds),
    overflow: overflowOf(values),
    wrapUpSeconds: numberOrUndefined(values.wrapUpSeconds),
    serviceLevelSeconds: numberOrUndefined(values.serviceLevelSeconds),
    dispositions: values.dispositions,
  };
}

/** Every field is required here (the defaults are in the blank form), so the create schema fits. */
export const parseQueue = (values: QueueFormValues) => queueCreateSchema.safeParse(toInput(values));

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only what changed against the queue as it was loaded. */
export function queueChanges(queue: Queue, next: QueueCreate): QueueUpdate {
  const parsed = queueCreateSchema.safeParse(toInput(queueValues(queue)));
  if (!parsed.success) return queueUpdateSchema.parse(next);
  const before = parsed.data;
  const change: QueueUpdate = {};
  for (const key of Object.keys(next) as (keyof QueueCreate)[]) {
    if (!same(before[key], next[key])) Object.assign(change, { [key]: next[key] });
  }
  return change;
}
