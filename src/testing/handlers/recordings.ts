import { http, HttpResponse } from 'msw';
import type { Recording, RecordingMark } from '../../../contracts/recordings';
import { fakeDb } from '../fake-db';
import { fakeSession } from '../fake-session';
import { apiError, notFound } from './api-errors';

/** A recording as POST /api/recordings answers it: just started by the signed-in person. */
function startedRecording(callId: string): Recording {
  const me = fakeSession.current();
  const startedAt = new Date().toISOString();
  return {
    id: crypto.randomUUID(),
    callId,
    userId: me?.user.id ?? null,
    username: me?.user.username ?? 'agent',
    state: 'recording',
    startedAt,
    endedAt: null,
    durationMs: null,
    bytes: 0,
    pauses: [],
    expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
  };
}

/**
 * The recording routes, happy paths: the phone starts, uploads, pauses and finishes (the answers
 * carry what the phone reads); Delete takes a recording off its call in the fake database.
 */
export const recordingHandlers = [
  http.post('/api/recordings', async ({ request }) => {
    const { callId } = (await request.json()) as { callId: string };
    return HttpResponse.json(startedRecording(callId), { status: 201 });
  }),
  http.put('/api/recordings/:id/chunks/:seq', async ({ request, params }) => {
    if ((await request.arrayBuffer()).byteLength === 0)
      return apiError(400, { code: 'validation_failed', message: 'The chunk is empty.' });
    return HttpResponse.json({ seq: Number(params.seq), stored: true });
  }),
  http.post('/api/recordings/:id/marks', async ({ request, params }) => {
    const mark = (await request.json()) as RecordingMark;
    const pause = {
      byUsername: fakeSession.current()?.user.username ?? 'agent',
      pausedAt: new Date().toISOString(),
      resumedAt: mark.kind === 'resume' ? new Date().toISOString() : null,
      offsetMs: mark.offsetMs,
      durationMs: null,
    };
    return HttpResponse.json({ ...startedRecording('call'), id: String(params.id), pauses: [pause] });
  }),
  http.post('/api/recordings/:id/finish', ({ params }) =>
    HttpResponse.json({ ...startedRecording('call'), id: String(params.id), state: 'ready' }),
  ),
  http.delete('/api/recordings/:id', ({ params }) => {
    if (fakeSession.current()?.user.role !== 'admin')
      return apiError(403, { code: 'forbidden', message: 'Only an admin may delete a recording.' });
    const call = fakeDb.state.calls.find((candidate) =>
      candidate.recordings.some((recording) => recording.id === params.id),
    );
    if (!call) return notFound(`Recording ${String(params.id)}`);
    call.recordings = call.recordings.filter((recording) => recording.id !== params.id);
    return new HttpResponse(null, { status: 204 });
  }),
];
