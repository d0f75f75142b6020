import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  MAX_RECORDING_CHUNK_BYTES,
  recordingListQuerySchema,
  recordingListSchema,
  recordingMarkSchema,
  recordingSchema,
  recordingStartSchema,
  type RecordingPause,
} from '../../../contracts/recordings';
import {
  canDeleteRecording,
  canHearRecording,
  canStartRecording,
  canStopRecording,
} from '../../../contracts/policy/recording-access';
import {
  callPartiesOf,
  findOpenRecording,
  findRecording,
  insertRecording,
  noteChunk,
  presentRecording,
  recordingsOfCalls,
  setPauses,
  deleteRecordingRow,
  type RecordingRow,
} from '../../store/recordings-repository';
import type { AppEnv } from '../app-env';
import { conflict, forbidden, HttpError, notFound } from '../http-error';
import { mutate } from '../mutation';
import { conflictResponse, createRouter, errorResponses, json, jsonBody } from '../openapi';
import { actorOf, requireSignedIn } from '../signed-in';
import { byteRange } from './byte-range';

const idParam = z.object({
  id: z.string().regex(/^[0-9a-f-]{36}$/, { error: 'id must be a recording id' }),
});
const chunkParams = idParam.extend({
  seq: z
    .string()
    .regex(/^[0-9]{1,6}$/, { error: 'seq must be a whole number from 0 to 999999' })
    .transform(Number),
});
const audioQuery = z
  .object({ download: z.enum(['0', '1'], { error: 'download must be 0 or 1' }).optional() })
  .strict();

const tooLarge = {
  413: json(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), 'Chunk too large.'),
};

const routes = {
  list: createRoute({
    method: 'get',
    path: '/recordings',
    tags: ['recordings'],
    summary: "A call's recordings, for whoever may see that call",
    request: { query: recordingListQuerySchema },
    responses: { 200: json(recordingListSchema, 'The recordings of the call.'), ...errorResponses },
  }),
  start: createRoute({
    method: 'post',
    path: '/recordings',
    tags: ['recordings'],
    summary: 'Start recording a live call you are a party of (your profile must allow recording)',
    request: jsonBody(recordingStartSchema),
    responses: {
      200: json(recordingSchema, 'Already recording this call: that recording.'),
      201: json(recordingSchema, 'Started.'),
      ...errorResponses,
      ...conflictResponse,
    },
  }),
  chunk: createRoute({
    method: 'put',
    path: '/recordings/{id}/chunks/{seq}',
    tags: ['recordings'],
    summary: 'Upload one chunk by its sequence number (the same bytes again answer 200 too)',
    request: {
      params: chunkParams,
      body: { content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
    },
    responses: {
      200: json(z.object({ seq: z.number(), stored: z.boolean() }), 'Stored, or already stored.'),
      ...errorResponses,
      ...conflictResponse,
      ...tooLarge,
    },
  }),
  mark: createRoute({
    method: 'post',
    path: '/recordings/{id}/marks',
    tags: ['recordings'],
    summary: 'Pause (for payment details) or resume a recording you are making',
    request: { params: idParam, ...jsonBody(recordingMarkSchema) },
    responses: { 200: json(recordingSchema, 'Marked.'), ...errorResponses, ...conflictResponse },
  }),
  finish: createRoute({
    method: 'post',
    path: '/recordings/{id}/finish',
    tags: ['recordings'],
    summary: 'Stop recording; the server makes the file (not while the call lasts on an `always` profile)',
    request: { params: idParam },
    responses: { 200: json(recordingSchema, 'Finished.'), ...errorResponses },
  }),
  audio: createRoute({
    method: 'get',
    path: '/recordings/{id}/audio',
    tags: ['recordings'],
    summary: 'The recording as WebM/Opus, with Range requests; `download=1` as an attachment. Audited.',
    request: { params: idParam, query: audioQuery },
    responses: {
      200: {
        content: { 'audio/webm': { schema: { type: 'string', format: 'binary' } } },
        description: 'The file.',
      },
      206: {
        content: { 'audio/webm': { schema: { type: 'string', format: 'binary' } } },
        description: 'A range.',
      },
      ...errorResponses,
      ...conflictResponse,
    },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/recordings/{id}',
    tags: ['recordings'],
    summary: 'Delete a recording (admin), audited',
    request: { params: idParam },
    responses: { 204: { description: 'Deleted.' }, ...errorResponses },
  }),
};

async function mustFind(c: Context<AppEnv>, id: string): Promise<RecordingRow> {
  const row = await findRecording(c.var.deps.db, id);
  if (!row) throw notFound(`Recording ${id}`);
  return row;
}

/** The recording's own maker: only they upload, pause and stop it. */
function mustOwn(c: Context<AppEnv>, row: RecordingRow) {
  const signedIn = requireSignedIn(c);
  if (row.userId !== signedIn.user.id)
    throw forbidden(`Only ${row.username}, who is making this recording, may change it.`);
  return signedIn;
}

function mustBeRecording(row: RecordingRow): void {
  if (row.state !== 'recording')
    throw conflict('This recording has already been finished; start a new one to record more.');
}

/** Throws 403 unless the signed-in person may hear the recordings of this call. */
async function mustHear(c: Context<AppEnv>, callId: string, ownerIds: (number | null)[]) {
  const signedIn = requireSignedIn(c);
  const actor = actorOf(signedIn);
  const { db, directory, recordings } = c.var.deps;
  const partyIds = [
    ...new Set([...(await callPartiesOf(db, callId)), ...recordings.livePartiesOf(callId), ...ownerIds]),
  ];
  let partyInBargeGroup = false;
  if (actor.role === 'operator' && actor.bargeGroup)
    for (const id of partyIds)
      if (id !== null && id !== actor.id && (await directory.isMember(actor.bargeGroup, id)))
        partyInBargeGroup = true;
  const decision = canHearRecording(actor, signedIn.user.callListPrivacy, { partyIds, partyInBargeGroup });
  if (!decision.allowed) throw forbidden(decision.reason);
  return { ...actor, username: signedIn.user.username };
}

const limitChunk = bodyLimit({
  maxSize: MAX_RECORDING_CHUNK_BYTES,
  onError: () => {
    throw new HttpError(
      413,
      'payload_too_large',
      `A recording chunk may be at most ${MAX_RECORDING_CHUNK_BYTES / 1024} KB; send chunks of one second.`,
      undefined,
      // The body is left unread: the connection cannot carry another request after it.
      { Connection: 'close' },
    );
  },
});

export const recordingRoutes = createRouter();
recordingRoutes.use('/recordings/:id/chunks/:seq', limitChunk);

recordingRoutes
  .openapi(routes.list, async (c) => {
    const { callId } = c.req.valid('query');
    const rows = await recordingsOfCalls(c.var.deps.db, [callId]);
    await mustHear(
      c,
      callId,
      rows.map((row) => row.userId),
    );
    return c.json({ items: rows.map(presentRecording) }, 200);
  })
  .openapi(routes.start, async (c) => {
    const signedIn = requireSignedIn(c);
    const { callId } = c.req.valid('json');
    const deps = c.var.deps;
    const mode = signedIn.profile?.recording ?? null;
    const allowed = canStartRecording(mode);
    if (!allowed.allowed) throw forbidden(allowed.reason);
    const live = deps.recordings.liveCallOf(callId, signedIn.user.id);
    if (!live)
      throw forbidden(
        'You may record only a call you are on right now; this call has ended or is not yours.',
      );
    if (live.state !== 'answered')
      throw conflict('The call has not been answered yet; record it once it is.');
    const existing = await findOpenRecording(deps.db, callId, signedIn.user.id);
    if (existing) return c.json(presentRecording(existing), 200);
    const id = randomUUID();
    const retentionDays = signedIn.profile?.recordingRetentionDays ?? 90;
    const startedAt = new Date();
    const actor = { id: signedIn.user.id, username: signedIn.user.username };
    const row = await mutate(deps, actor, async (tx, audit) => {
      await insertRecording(tx, {
        id,
        callId,
        userId: signedIn.user.id,
        username: signedIn.user.username,
        startedAt,
        expiresAt: new Date(startedAt.getTime() + retentionDays * 86_400_000),
      });
      await audit({
        action: 'recording.start',
        entity: 'recording',
        entityId: id,
        after: { callId, mode, retentionDays },
      });
      const created = await findRecording(tx, id);
      if (!created) throw new Error('the new recording was not found');
      return { result: created, events: [{ entity: 'call', id: null }] };
    });
    deps.recordings.opened(id, callId);
    return c.json(presentRecording(row), 201);
  })
  .openapi(routes.chunk, async (c) => {
    const { id, seq } = c.req.valid('param');
    const row = await mustFind(c, id);
    mustOwn(c, row);
    const empty = () =>
      new HttpError(400, 'validation_failed', 'The chunk is empty; send the bytes MediaRecorder gave.', {
        body: 'empty',
      });
    // An empty body is refused before it is read (reading one through the body limit never ends).
    if (c.req.header('content-length') === '0') throw empty();
    const data = Buffer.from(await c.req.arrayBuffer());
    if (data.length === 0) throw empty();
    // A chunk after the end is kept out: the file is already made.
    if (row.state !== 'recording')
      throw conflict('This recording has already been finished; the chunk came too late to be part of it.');
    const { db, recordings } = c.var.deps;
    const outcome = await recordings.store.putChunk(id, seq, data);
    if (outcome === 'different')
      throw conflict(
        `Chunk ${seq} of this recording was already stored with other bytes; it is kept as it was.`,
      );
    if (outcome === 'stored') {
      await noteChunk(db, id, data.length);
      recordings.chunkArrived(id);
    }
    return c.json({ seq, stored: outcome === 'stored' }, 200);
  })
  .openapi(routes.mark, async (c) => {
    const { id } = c.req.valid('param');
    const mark = c.req.valid('json');
    const row = await mustFind(c, id);
    const signedIn = mustOwn(c, row);
    mustBeRecording(row);
    const allowed = canStartRecording(signedIn.profile?.recording ?? null);
    if (!allowed.allowed) throw forbidden(allowed.reason);
    const pauses: RecordingPause[] = [...row.pauses];
    const open = pauses[pauses.length - 1];
    const now = new Date();
    if (mark.kind === 'pause') {
      if (open && open.resumedAt === null) throw conflict('The recording is already paused.');
      pauses.push({
        byUsername: signedIn.user.username,
        pausedAt: now.toISOString(),
        resumedAt: null,
        offsetMs: mark.offsetMs,
        durationMs: null,
      });
    } else {
      if (!open || open.resumedAt !== null) throw conflict('The recording is not paused.');
      if (mark.offsetMs < open.offsetMs)
        throw new HttpError(400, 'validation_failed', 'The resume comes before its pause.', {
          offsetMs: `must be at least ${open.offsetMs}, where the pause began`,
        });
      pauses[pauses.length - 1] = {
        ...open,
        resumedAt: now.toISOString(),
        durationMs: mark.offsetMs - open.offsetMs,
      };
    }
    const actor = { id: signedIn.user.id, username: signedIn.user.username };
    await mutate(c.var.deps, actor, async (tx, audit) => {
      await setPauses(tx, id, pauses);
      await audit({
        action: `recording.${mark.kind}`,
        entity: 'recording',
        entityId: id,
        after: { callId: row.callId, offsetMs: mark.offsetMs, at: now.toISOString() },
      });
      return { result: null, events: [{ entity: 'call', id: null }] };
    });
    return c.json(presentRecording({ ...row, pauses }), 200);
  })
  .openapi(routes.finish, async (c) => {
    const { id } = c.req.valid('param');
    const row = await mustFind(c, id);
    const signedIn = mustOwn(c, row);
    const { recordings } = c.var.deps;
    if (row.state === 'recording') {
      const allowed = canStopRecording(
        signedIn.profile?.recording ?? null,
        recordings.isCallLive(row.callId),
      );
      if (!allowed.allowed) throw forbidden(allowed.reason);
    }
    const finished = await recordings.finish(id, { id: signedIn.user.id, username: signedIn.user.username });
    return c.json(presentRecording(finished ?? row), 200);
  })
  .openapi(routes.audio, async (c) => {
    const { id } = c.req.valid('param');
    const { download } = c.req.valid('query');
    const row = await mustFind(c, id);
    const actor = await mustHear(c, row.callId, [row.userId]);
    if (row.state !== 'ready')
      throw conflict(
        row.state === 'recording'
          ? 'This recording is still being made; it can be played once the call has ended.'
          : 'This recording could not be made from what the phone sent; there is nothing to play.',
      );
    const deps = c.var.deps;
    const size = await deps.recordings.store.fileSize(id);
    if (size === null) throw notFound(`The audio of recording ${id}`);
    const range = byteRange(c.req.header('range'), size);
    if (range === 'unsatisfiable') return c.body(null, 416, { 'Content-Range': `bytes */${size}` }) as never;
    // A play is audited once: its first request; a player's later range requests are seeks.
    if (!range || range.start === 0)
      await mutate(deps, actor, async (_tx, audit) => {
        await audit({
          action: download === '1' ? 'recording.download' : 'recording.play',
          entity: 'recording',
          entityId: id,
          after: { callId: row.callId, username: row.username },
        });
        return { result: null, events: [] };
      });
    const start = range?.start ?? 0;
    const end = range?.end ?? size - 1;
    const body = await deps.recordings.store.readFile(id, start, end);
    const headers: Record<string, string> = {
      'Content-Type': 'audio/webm',
      'Accept-Ranges': 'bytes',
      'Content-Length': String(body.length),
    };
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    if (download === '1')
      headers['Content-Disposition'] =
        `attachment; filename="recording-${row.startedAt.toISOString().slice(0, 19).replace(/:/g, '-')}-${row.username}.webm"`;
    return c.body(new Uint8Array(body), range ? 206 : 200, headers) as never;
  })
  .openapi(routes.remove, async (c) => {
    const signedIn = requireSignedIn(c);
    const actor = actorOf(signedIn);
    const decision = canDeleteRecording(actor);
    if (!decision.allowed) throw forbidden(decision.reason);
    const { id } = c.req.valid('param');
    const row = await mustFind(c, id);
    const deps = c.var.deps;
    await deps.recordings.store.remove(id);
    await mutate(deps, { id: actor.id, username: signedIn.user.username }, async (tx, audit) => {
      await deleteRecordingRow(tx, id);
      await audit({
        action: 'recording.delete',
        entity: 'recording',
        entityId: id,
        before: { callId: row.callId, username: row.username, durationMs: row.durationMs },
      });
      return { result: null, events: [{ entity: 'call', id: null }] };
    });
    return c.body(null, 204) as never;
  });
