import type { AgentBoardEntry } from '../../../contracts/agent-states';
import type { Actor } from '../../../contracts/policy/console-access';
import { agentStateScope } from '../../../contracts/policy/console-access';
import { findGroupByName } from '../../store/groups-repository';
import { allQueueAgentIds } from '../../store/queues-repository';
import type { Deps } from '../app-env';

/**
 * Whose states the actor may see: everyone from supervisor up (queue members, and anyone whose
 * phone has signed in since the start), an operator's barge group, an agent themself.
 */
export async function visibleAgentIds(deps: Deps, actor: Actor): Promise<number[]> {
  const scope = agentStateScope(actor);
  if (scope === 'own') return [actor.id];
  if (scope === 'barge_group') {
    const group = actor.bargeGroup ? await findGroupByName(deps.db, actor.bargeGroup) : undefined;
    return group ? group.members.map((m) => m.id) : [];
  }
  const ids = await allQueueAgentIds(deps.db);
  for (const id of deps.contactCenter.agents.knownUsers()) ids.add(id);
  return [...ids];
}

/** Each agent's state with their name and calls answered today, by name. */
export async function agentBoardEntries(deps: Deps, userIds: number[]): Promise<AgentBoardEntry[]> {
  const { agents } = deps.contactCenter;
  const entries: AgentBoardEntry[] = [];
  for (const userId of userIds) {
    const account = await deps.directory.byId(userId);
    if (!account) continue;
    entries.push({
      ...agents.stateOf(userId),
      username: account.username,
      displayName: account.displayName,
      extension: account.extension,
      answeredToday: agents.answeredToday(userId),
    });
  }
  return entries.sort((a, b) => a.username.localeCompare(b.username));
}
