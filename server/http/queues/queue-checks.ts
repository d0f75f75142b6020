import type { QueueMember, QueueOverflow } from '../../../contracts/queues';
import type { DbOrTx } from '../../store/database';
import {
  existingMembers,
  findQueue,
  findQueueByExtension,
  findQueueByName,
} from '../../store/queues-repository';
import { findUser, findUserByExtension } from '../../store/users-repository';
import { conflict, HttpError } from '../http-error';

/** Name and extension: unique among queues, and the extension is nobody's phone. */
export async function checkQueueUnique(
  db: DbOrTx,
  change: { name?: string; extension?: string },
  ownId?: number,
): Promise<void> {
  if (change.name !== undefined) {
    const taken = await findQueueByName(db, change.name);
    if (taken && taken.id !== ownId) throw conflict(`A queue named ${change.name} already exists.`, 'name');
  }
  if (change.extension !== undefined) {
    const user = await findUserByExtension(db, change.extension);
    if (user)
      throw conflict(
        `Extension ${change.extension} belongs to the user ${user.username}; choose another for the queue.`,
        'extension',
      );
    const queue = await findQueueByExtension(db, change.extension);
    if (queue && queue.id !== ownId)
      throw conflict(
        `Extension ${change.extension} belongs to the queue ${queue.name}; choose another.`,
        'extension',
      );
  }
}

/**
 * Members must exist and be listed once; the overflow must name an existing queue (not this
 * one) or user. Each problem is a field error on its path (members.2.userId, overflow.queueId).
 */
export async function checkQueueReferences(
  db: DbOrTx,
  change: { members?: QueueMember[]; overflow?: QueueOverflow },
  ownId?: number,
): Promise<void> {
  const fields: Record<string, string> = {};
  if (change.members) {
    const found = await existingMembers(
      db,
      change.members.flatMap((m) => (m.kind === 'user' ? [m.userId] : [])),
      change.members.flatMap((m) => (m.kind === 'group' ? [m.groupId] : [])),
    );
    const seen = new Set<string>();
    change.members.forEach((member, index) => {
      const [key, id, exists] =
        member.kind === 'user'
          ? (['userId', member.userId, found.users.has(member.userId)] as const)
          : (['groupId', member.groupId, found.groups.has(member.groupId)] as const);
      const what = `${member.kind === 'user' ? 'User' : 'Group'} ${id}`;
      if (!exists) fields[`members.${index}.${key}`] = `${what} does not exist`;
      else if (seen.has(`${key}:${id}`)) fields[`members.${index}.${key}`] = `${what} is listed twice`;
      seen.add(`${key}:${id}`);
    });
  }
  const overflow = change.overflow;
  if (overflow?.kind === 'queue') {
    if (ownId !== undefined && overflow.queueId === ownId)
      fields['overflow.queueId'] = 'A queue cannot overflow to itself';
    else if (!(await findQueue(db, overflow.queueId)))
      fields['overflow.queueId'] = `Queue ${overflow.queueId} does not exist`;
  } else if (overflow?.kind === 'user' && !(await findUser(db, overflow.userId))) {
    fields['overflow.userId'] = `User ${overflow.userId} does not exist`;
  }
  const messages = Object.values(fields);
  if (messages.length)
    throw new HttpError(
      400,
      'validation_failed',
      `Please correct the queue: ${messages.join('; ')}.`,
      fields,
    );
}
