import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { queueCallSchema } from '../../../contracts/queue-reports';
import { callWrapUpSchema } from '../../../contracts/queues';
import { canChangeOwnAgentState } from '../../policy/console-access';
import {
  findAnsweredVisit,
  findQueueCall,
  queueCallVisits,
  setQueueCallWrapUp,
} from '../../store/queue-calls-repository';
import { findQueue } from '../../store/queues-repository';
import { forbidden, HttpError, notFound } from '../http-error';
import { mutate } from '../mutation';
import { conflictResponse, createRouter, errorResponses, json, jsonBody } from '../openapi';
import { authorize } from '../signed-in';
import { presentQueueCall } from './present-queue-call';

const callParams = z.object({
  callId: z
    .string()
    .min(1, { error: 'callId must not be empty' })
    .max(256, { error: 'callId must be at most 256 characters' }),
});

const routes = {
  wrapUp: createRoute({
    method: 'put',
    path: '/calls/{callId}/wrap-up',
    tags: ['calls'],
    summary:
      "The disposition (one of the queue's codes) and a note for a queue call, by the agent who answered it, once it has ended",
    request: { params: callParams, ...jsonBody(callWrapUpSchema) },
    responses: {
      200: json(queueCallSchema, 'The queue call with its disposition.'),
      ...errorResponses,
      ...conflictResponse,
    },
  }),
};

export const queueCallRoutes = createRouter().openapi(routes.wrapUp, async (c) => {
  const actor = authorize(c, canChangeOwnAgentState);
  const { callId } = c.req.valid('param');
  const wrapUp = c.req.valid('json');
  const deps = c.var.deps;
  await deps.contactCenter.callLog.settled();
  const row = await mutate(deps, actor, async (tx, audit) => {
    const visit = await findAnsweredVisit(tx, callId, actor.id);
    if (!visit) {
      if ((await queueCallVisits(tx, callId)) > 0)
        throw forbidden('Only the agent who answered this queue call may give its disposition.');
      throw notFound(`The queue call ${callId}`);
    }
    if (!visit.endedAt)
      throw new HttpError(
        409,
        'conflict',
        'The call is still going on; give its disposition in wrap-up, once it has ended.',
      );
    const queue = visit.queueId === null ? undefined : await findQueue(tx, visit.queueId);
    if (!queue)
      throw new HttpError(
        409,
        'conflict',
        `The queue ${visit.queue} no longer exists, so it has no dispositions.`,
      );
    if (!queue.dispositions.includes(wrapUp.disposition)) {
      const choices = queue.dispositions.length
        ? `choose one of: ${queue.dispositions.join(', ')}`
        : 'it has none; ask a supervisor to add some';
      const message = `${wrapUp.disposition} is not a disposition of the queue ${queue.name}: ${choices}`;
      throw new HttpError(400, 'validation_failed', `${message}.`, { disposition: message });
    }
    await setQueueCallWrapUp(tx, visit.id, wrapUp);
    await audit({
      action: 'queue_call.wrap_up',
      entity: 'call',
      entityId: callId,
      before: { disposition: visit.disposition, note: visit.note },
      after: { disposition: wrapUp.disposition, note: wrapUp.note || null },
    });
    const after = await findQueueCall(tx, visit.id);
    if (!after) throw notFound(`The queue call ${callId}`);
    return { result: after, events: [{ entity: 'call', id: callId }] };
  });
  return c.json(presentQueueCall(row), 200);
});
