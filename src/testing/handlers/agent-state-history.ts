import { http, HttpResponse } from 'msw';
import {
  agentStateHistoryQuerySchema,
  type AgentStateChangeRecord,
  type AgentStateName,
} from '../../../contracts/agent-states';
import { DEMO_REPORT_DAY, demoAgents } from '../demo-contact-center';
import { fakeDb } from '../fake-db';
import { apiError, validationFailed } from './api-errors';
import { signedInAtLeast } from './roles';

/** The states each demo agent goes through, again and again, on the demo day. */
const cycle: [AgentStateName, string | null][] = [
  ['not_ready', 'Just signed in'],
  ['available', null],
  ['ringing', null],
  ['on_call', null],
  ['wrap_up', null],
  ['available', null],
  ['ringing', null],
  ['not_ready', 'Missed a queue call'],
];

/**
 * The demo day's changes: from 08:00 UTC each agent moves through `cycle` 25 times, a change
 * every 2 min 30 s plus a few seconds per agent; the last one goes on (no duration).
 */
function demoHistory(): AgentStateChangeRecord[] {
  const changes: AgentStateChangeRecord[] = [];
  let id = 1;
  for (const [index, agent] of demoAgents.entries()) {
    const stepMs = 150_000 + index * 5_000;
    let from: AgentStateName = 'offline';
    for (let i = 0; i < 25; i++) {
      const [to, reason] = cycle[i % cycle.length] ?? ['available', null];
      changes.push({
        id: id++,
        userId: agent.userId,
        username: agent.username,
        from,
        to,
        reason,
        at: new Date(Date.parse(`${DEMO_REPORT_DAY}T08:00:00Z`) + i * stepMs).toISOString(),
        seconds: i === 24 ? null : stepMs / 1000,
      });
      from = to;
    }
  }
  return changes.sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id);
}

/**
 * `GET /api/agent-states/history` as the server answers it: agents their own changes,
 * operators their barge group's (and their own), supervisors and admins everyone's; newest
 * first, by user and day, a page at a time.
 */
export const agentStateHistoryHandlers = [
  http.get('/api/agent-states/history', ({ request }) => {
    const { me, refused } = signedInAtLeast('agent');
    if (!me) return refused;
    const parsed = agentStateHistoryQuerySchema.safeParse(
      Object.fromEntries(new URL(request.url).searchParams),
    );
    if (!parsed.success) return validationFailed(parsed.error);
    const { userId, date, offset, limit } = parsed.data;
    const role = me.user.role;
    let visible: number[] | null = null;
    if (role === 'agent') visible = [me.user.id];
    else if (role === 'operator')
      visible = [
        me.user.id,
        ...(fakeDb.state.groups.find((group) => group.name === me.profile?.bargeGroup)?.members ?? []).map(
          (member) => member.id,
        ),
      ];
    if (visible && userId !== undefined && !visible.includes(userId))
      return apiError(403, {
        code: 'forbidden',
        message:
          role === 'agent'
            ? "You may see only your own state history; other agents' needs the operator role."
            : 'Operators may see the state history of their barge group only.',
      });
    const items = demoHistory().filter(
      (change) =>
        (userId === undefined || change.userId === userId) &&
        (!visible || visible.includes(change.userId)) &&
        (!date || change.at.startsWith(date)),
    );
    return HttpResponse.json({
      items: items.slice(offset, offset + limit),
      total: items.length,
      offset,
      limit,
    });
  }),
];
