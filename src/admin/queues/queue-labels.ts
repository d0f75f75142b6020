import type { Queue, QueueOverflow, QueueStrategy } from '../../../contracts/queues';

export const strategyLabels: Record<QueueStrategy, string> = {
  longest_idle: 'Longest idle: the agent waiting longest since their last call',
  round_robin: 'Round robin: each agent in turn',
  fewest_calls: 'Fewest calls today',
  ring_all: 'Ring all: every available agent at once',
};

/** The strategy's short name for the table: "Longest idle". */
export const strategyName = (strategy: QueueStrategy) => strategyLabels[strategy].split(':')[0] ?? strategy;

/** Where a call goes after the maximum wait, in words. */
export function overflowWords(
  overflow: QueueOverflow,
  queues: readonly Pick<Queue, 'id' | 'name'>[],
  /** The overflow user's name, once known. */
  userName: string | null = null,
): string {
  switch (overflow.kind) {
    case 'queue': {
      const target = queues.find((queue) => queue.id === overflow.queueId);
      return `To queue ${target?.name ?? `number ${overflow.queueId}`}`;
    }
    case 'user':
      return `To ${userName ?? 'a user'}`;
    case 'refuse':
      return `Refused: “${overflow.reason}”`;
  }
}

/** "agent1 (1), floor_1 (2)": members with their priorities. */
export function membersWords(members: Queue['members']): string {
  if (members.length === 0) return 'Nobody yet';
  return members
    .map(
      (member) => `${member.kind === 'user' ? member.username : `group ${member.name}`} (${member.priority})`,
    )
    .join(', ');
}
