import { http, HttpResponse } from 'msw';
import {
  agentStateChangeSchema,
  type AgentBoardEntry,
  type AgentStateName,
  type MyAgentState,
} from '../../../contracts/agent-states';
import type { QueueCall } from '../../../contracts/queue-reports';
import { callWrapUpSchema } from '../../../contracts/queues';
import type { DemoAgent } from '../demo-contact-center';
import { fakeDb } from '../fake-db';
import { apiError, notFound, validationFailed } from './api-errors';
import { signedInAtLeast } from './roles';

/** The fake server's record of an agent: an existing one, or Offline. */
function agentOf(userId: number): DemoAgent {
  const known = fakeDb.state.agents.find((candidate) => candidate.userId === userId);
  if (known) return known;
  const user = fakeDb.state.users.find((candidate) => candidate.id === userId);
  const created: DemoAgent = {
    userId,
    username: user?.username ?? '',
    displayName: user?.displayName ?? '',
    extension: user?.extension ?? '',
    state: 'offline',
    reason: null,
    since: new Date().toISOString(),
    wrapUpEndsAt: null,
    wrapUpCallId: null,
    answeredToday: 0,
    wrapUp: null,
  };
  fakeDb.state.agents.push(created);
  return created;
}

/** Whether a queue offers the user calls: a member as a user or through a group. */
function inQueues(userId: number): boolean {
  const groups = fakeDb.state.groups.filter((group) => group.members.some((member) => member.id === userId));
  return fakeDb.state.queues.some((queue) =>
    queue.members.some((member) =>
      member.kind === 'user' ? member.userId === userId : groups.some((group) => group.id === member.groupId),
    ),
  );
}

function mine(agent: DemoAgent): MyAgentState {
  const { username: _u, displayName: _d, extension: _e, answeredToday: _a, ...state } = agent;
  return { ...state, inQueues: inQueues(agent.userId) };
}

function move(agent: DemoAgent, to: AgentStateName, reason: string | null) {
  Object.assign(agent, {
    state: to,
    reason: to === 'not_ready' ? reason : null,
    since: new Date().toISOString(),
    wrapUpEndsAt: null,
    wrapUpCallId: null,
    wrapUp: null,
  });
}

const conflict = (message: string) => apiError(409, { code: 'conflict', message });

/** The server's refusals for a click the state does not allow (server/contact-center/agent-states.ts). */
function busy(agent: DemoAgent): Response | null {
  if (agent.state === 'on_call') return conflict('You are on a call.');
  if (agent.state === 'ringing')
    return conflict('A queue call is ringing your phone: answer or decline it first.');
  if (agent.state === 'offline')
    return conflict('Your phone is not signed in: open the phone and let it connect first.');
  return null;
}

const board = (agent: DemoAgent): AgentBoardEntry => {
  const { wrapUp: _w, ...entry } = agent;
  return entry;
};

export const agentStateHandlers = [
  http.get('/api/me/state', () => {
    const { me, refused } = signedInAtLeast('agent');
    if (!me) return refused;
    return HttpResponse.json<MyAgentState>(mine(agentOf(me.user.id)));
  }),
  http.put('/api/me/state', async ({ request }) => {
    const { me, refused } = signedInAtLeast('agent');
    if (!me) return refused;
    const parsed = agentStateChangeSchema.safeParse(await request.json());
    if (!parsed.success) return validationFailed(parsed.error);
    const change = parsed.data;
    const agent = agentOf(me.user.id);
    switch (change.action) {
      case 'available': {
        const refusal = busy(agent);
        if (refusal) return refusal;
        if (agent.state !== 'available') move(agent, 'available', null);
        break;
      }
      case 'not_ready': {
        const reason = fakeDb.state.reasonCodes.find((code) => code.code === change.reasonCode);
        if (!reason)
          return apiError(400, {
            code: 'validation_failed',
            message: `No such reason code: ${change.reasonCode}.`,
            fields: { reasonCode: `No such reason code: ${change.reasonCode}` },
          });
        const refusal = busy(agent);
        if (refusal) return refusal;
        move(agent, 'not_ready', reason.label);
        break;
      }
      case 'end_wrap_up':
        if (agent.state !== 'wrap_up') return conflict('You are not in wrap-up.');
        move(agent, 'available', null);
        break;
      case 'extend_wrap_up': {
        if (agent.state !== 'wrap_up' || !agent.wrapUpEndsAt)
          return conflict('You are not in wrap-up, so there is nothing to extend.');
        const queue = fakeDb.state.queues.find((candidate) => candidate.id === agent.wrapUp?.queueId);
        const seconds = queue?.wrapUpSeconds ?? 30;
        agent.wrapUpEndsAt = new Date(Date.parse(agent.wrapUpEndsAt) + seconds * 1000).toISOString();
        break;
      }
    }
    return HttpResponse.json<MyAgentState>(mine(agent));
  }),
  http.get('/api/agent-states', () => {
    const { me, refused } = signedInAtLeast('operator');
    if (!me) return refused;
    const visible =
      me.user.role === 'operator'
        ? (fakeDb.state.groups.find((group) => group.name === me.profile?.bargeGroup)?.members ?? []).map(
            (member) => member.id,
          )
        : fakeDb.state.agents.map((agent) => agent.userId);
    const items = fakeDb.state.agents
      .filter((agent) => visible.includes(agent.userId))
      .map(board)
      .sort((a, b) => a.username.localeCompare(b.username));
    return HttpResponse.json<{ items: AgentBoardEntry[] }>({ items });
  }),
  http.put<{ callId: string }>('/api/calls/:callId/wrap-up', async ({ params, request }) => {
    const { me, refused } = signedInAtLeast('agent');
    if (!me) return refused;
    const parsed = callWrapUpSchema.safeParse(await request.json());
    if (!parsed.success) return validationFailed(parsed.error);
    const agent = fakeDb.state.agents.find((candidate) => candidate.wrapUp?.callId === params.callId);
    const wrapUp = agent?.wrapUp;
    if (!agent || !wrapUp) return notFound(`The queue call ${params.callId}`);
    if (agent.userId !== me.user.id)
      return apiError(403, {
        code: 'forbidden',
        message: 'Only the agent who answered this queue call may give its disposition.',
      });
    const { disposition, note } = parsed.data;
    if (!wrapUp.dispositions.includes(disposition)) {
      const choices = wrapUp.dispositions.length
        ? `choose one of: ${wrapUp.dispositions.join(', ')}`
        : 'it has none; ask a supervisor to add some';
      const message = `${disposition} is not a disposition of the queue ${wrapUp.queue}: ${choices}`;
      return apiError(400, {
        code: 'validation_failed',
        message: `${message}.`,
        fields: { disposition: message },
      });
    }
    wrapUp.disposition = disposition;
    wrapUp.note = note || null;
    const now = new Date().toISOString();
    return HttpResponse.json<QueueCall>({
      id: fakeDb.newId(),
      callId: params.callId,
      queueId: wrapUp.queueId,
      queue: wrapUp.queue,
      caller: '+493012345678',
      callerName: null,
      enteredAt: now,
      outcome: 'answered',
      waitSeconds: 12,
      offers: 1,
      agentId: agent.userId,
      agentUsername: agent.username,
      answeredAt: now,
      endedAt: now,
      overflowTo: null,
      disposition,
      note: note || null,
    });
  }),
];
