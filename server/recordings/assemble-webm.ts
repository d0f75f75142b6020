import {
  element,
  floatElement,
  Id,
  idAsBytes,
  readHeader,
  readUint,
  TOP_LEVEL_IDS,
  uintElement,
  UNKNOWN_SIZE,
} from './ebml';

/** One Opus frame (a SimpleBlock's payload) at its time in the recording. */
type Frame = { timeMs: number; track: number; flags: number; payload: Buffer };

export type AssembledWebm = {
  file: Buffer;
  durationMs: number;
  /** Audio that never arrived (lost chunks, the cut-off end of a run), filled with silence. */
  silenceFilledMs: number;
};

/** Why a recording's chunks cannot make a file. */
export class UnreadableRecording extends Error {}

/**
 * A silent Opus packet per frame length (RFC 6716: CELT-only, fullband, stereo; the two bytes
 * 0xff 0xfe are one silent frame). Longer frames are packs of 20 ms frames (code 3, CBR).
 */
function silentOpus(frameMs: number): Buffer {
  const silent20 = [0xff, 0xfe];
  const count = Math.max(1, Math.round(frameMs / 20));
  if (count === 1) return Buffer.from([0xfc, ...silent20]);
  return Buffer.from([0xff, count, ...Array.from({ length: count }, () => silent20).flat()]);
}

/** Longest cluster written: a SimpleBlock's time is a signed 16-bit offset from its cluster's. */
const CLUSTER_MS = 5000;

/**
 * Makes one seekable WebM from a recording's chunks as MediaRecorder cut them (index = sequence
 * number; a missing one was lost). MediaRecorder writes a live stream: Segment and Clusters of
 * unknown size, no Duration, no Cues, and only chunk 0 holds the header, so later chunks start
 * inside a block. The chunks of each unbroken run are joined and read block by block; after a
 * lost chunk reading starts again at the next Cluster. Every hole in the timeline (a lost chunk,
 * a cut-off block) is filled with silent Opus frames, so the file keeps its length for every
 * player. Written back: Segment with a known size, SeekHead, Info with Duration, Tracks,
 * Clusters of known size, Cues.
 */
export function assembleWebm(chunks: ReadonlyArray<Buffer | undefined>): AssembledWebm {
  const first = chunks[0];
  if (!first) throw new UnreadableRecording('The first chunk (with the WebM header) never arrived.');
  const header = readStreamHeader(first);
  const frames: Frame[] = [];
  let seq = 0;
  while (seq < chunks.length) {
    if (!chunks[seq]) {
      seq++;
      continue;
    }
    const runStart = seq;
    const run: Buffer[] = [];
    for (let chunk = chunks[seq]; chunk; chunk = chunks[++seq]) run.push(chunk);
    const bytes = Buffer.concat(run);
    const from = runStart === 0 ? header.clustersAt : nextClusterAt(bytes, 0);
    if (from >= 0) readClusters(bytes, from, frames);
  }
  if (frames.length === 0) throw new UnreadableRecording('The chunks hold no audio.');
  frames.sort((a, b) => a.timeMs - b.timeMs);
  const frameMs = typicalSpacing(frames);
  const { filled, silenceMs } = fillGaps(frames, frameMs);
  const startMs = filled[0]?.timeMs ?? 0;
  const last = filled[filled.length - 1];
  const durationMs = (last ? last.timeMs + frameMs : 0) - startMs;
  return {
    file: writeWebm(header, filled, durationMs, startMs),
    durationMs: Math.round(durationMs),
    silenceFilledMs: Math.round(silenceMs),
  };
}

type StreamHeader = {
  ebml: Buffer;
  /** Info's children other than Duration (TimecodeScale, MuxingApp, WritingApp). */
  infoChildren: Buffer;
  timecodeScaleNs: number;
  tracks: Buffer;
  clustersAt: number;
};

function readStreamHeader(data: Buffer): StreamHeader {
  const ebml = readHeader(data, 0);
  if (!ebml || ebml.id !== Id.EBML || ebml.size === UNKNOWN_SIZE)
    throw new UnreadableRecording('The first chunk does not start with a WebM header.');
  const ebmlBytes = data.subarray(0, ebml.dataAt + ebml.size);
  const segment = readHeader(data, ebml.dataAt + ebml.size);
  if (!segment || segment.id !== Id.Segment) throw new UnreadableRecording('The first chunk has no Segment.');
  let at = segment.dataAt;
  let info: Buffer | null = null;
  let tracks: Buffer | null = null;
  let timecodeScaleNs = 1_000_000;
  while (at < data.length) {
    const child = readHeader(data, at);
    if (!child || child.id === Id.Cluster) break;
    if (child.size === UNKNOWN_SIZE || child.dataAt + child.size > data.length) break;
    const end = child.dataAt + child.size;
    if (child.id === Id.Tracks) tracks = data.subarray(at, end);
    if (child.id === Id.Info) {
      const kept: Buffer[] = [];
      for (let inner = child.dataAt; inner < end;) {
        const field = readHeader(data, inner);
        if (!field || field.size === UNKNOWN_SIZE) break;
        const fieldEnd = field.dataAt + field.size;
        if (field.id === Id.TimecodeScale) timecodeScaleNs = readUint(data, field.dataAt, field.size);
        if (field.id !== Id.Duration) kept.push(data.subarray(inner, fieldEnd));
        inner = fieldEnd;
      }
      info = Buffer.concat(kept);
    }
    at = end;
  }
  if (!info || !tracks)
    throw new UnreadableRecording('The first chunk lacks the Info or Tracks of the stream.');
  return {
    ebml: Buffer.from(ebmlBytes),
    infoChildren: info,
    timecodeScaleNs,
    tracks: Buffer.from(tracks),
    clustersAt: at,
  };
}

/** The next Cluster start at or after `from` that reads as one (an ID, a size, then a Timecode). */
function nextClusterAt(data: Buffer, from: number): number {
  const marker = idAsBytes(Id.Cluster);
  for (let at = data.indexOf(marker, from); at >= 0; at = data.indexOf(marker, at + 1)) {
    const cluster = readHeader(data, at);
    const timecode = cluster && readHeader(data, cluster.dataAt);
    if (timecode && timecode.id === Id.Timecode && timecode.size > 0 && timecode.size <= 8) return at;
  }
  return -1;
}

/** Reads Clusters from `at` to the end of the run; a block cut off at the end is left out. */
function readClusters(data: Buffer, at: number, frames: Frame[]): void {
  const scaleMs = 1; // MediaRecorder writes TimecodeScale 1 ms; times below are in ticks = ms.
  while (at < data.length) {
    const cluster = readHeader(data, at);
    if (!cluster) return;
    if (cluster.id !== Id.Cluster) {
      if (cluster.size === UNKNOWN_SIZE) return;
      at = cluster.dataAt + cluster.size;
      continue;
    }
    const end =
      cluster.size === UNKNOWN_SIZE ? data.length : Math.min(data.length, cluster.dataAt + cluster.size);
    let clusterTime: number | null = null;
    let inner = cluster.dataAt;
    while (inner < end) {
      const child = readHeader(data, inner);
      if (!child) return;
      if (cluster.size === UNKNOWN_SIZE && TOP_LEVEL_IDS.has(child.id)) break;
      if (child.size === UNKNOWN_SIZE || child.dataAt + child.size > data.length) return;
      const childEnd = child.dataAt + child.size;
      if (child.id === Id.Timecode) clusterTime = readUint(data, child.dataAt, child.size);
      else if (child.id === Id.SimpleBlock && clusterTime !== null) {
        const frame = readBlock(data.subarray(child.dataAt, childEnd), clusterTime * scaleMs);
        if (frame) frames.push(frame);
      } else if (child.id === Id.BlockGroup && clusterTime !== null) {
        const block = readHeader(data, child.dataAt);
        if (block && block.id === Id.Block && block.dataAt + block.size <= childEnd) {
          const frame = readBlock(data.subarray(block.dataAt, block.dataAt + block.size), clusterTime);
          if (frame) frames.push(frame);
        }
      }
      inner = childEnd;
    }
    at = inner;
  }
}

function readBlock(body: Buffer, clusterTimeMs: number): Frame | null {
  const track = body[0];
  if (track === undefined || (track & 0x80) === 0 || body.length < 4) return null;
  return {
    track: track & 0x7f,
    timeMs: clusterTimeMs + body.readInt16BE(1),
    flags: body[3] ?? 0x80,
    payload: Buffer.from(body.subarray(4)),
  };
}

/** The usual time between frames (MediaRecorder's Opus: 20 or 60 ms). */
function typicalSpacing(frames: Frame[]): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < frames.length; i++) {
    const step = (frames[i]?.timeMs ?? 0) - (frames[i - 1]?.timeMs ?? 0);
    if (step > 0 && step <= 120) counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  let best = 20;
  let bestCount = 0;
  for (const [step, n] of counts)
    if (n > bestCount) {
      best = step;
      bestCount = n;
    }
  return best;
}

function fillGaps(frames: Frame[], frameMs: number): { filled: Frame[]; silenceMs: number } {
  const filled: Frame[] = [];
  let silenceMs = 0;
  const template = frames[0];
  const silence = silentOpus(frameMs);
  for (const frame of frames) {
    const previous = filled[filled.length - 1];
    if (previous && frame.timeMs <= previous.timeMs) continue;
    if (previous && template)
      for (let t = previous.timeMs + frameMs; t + frameMs / 2 <= frame.timeMs; t += frameMs) {
        filled.push({ timeMs: t, track: template.track, flags: 0x80, payload: silence });
        silenceMs += frameMs;
      }
    filled.push(frame);
  }
  return { filled, silenceMs };
}

function simpleBlock(frame: Frame, clusterTimeMs: number): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt8(0x80 | frame.track, 0);
  head.writeInt16BE(frame.timeMs - clusterTimeMs, 1);
  head.writeUInt8(frame.flags | 0x80, 3);
  return element(Id.SimpleBlock, head, frame.payload);
}

function writeWebm(header: StreamHeader, frames: Frame[], durationMs: number, startMs: number): Buffer {
  const ticksPerMs = 1_000_000 / header.timecodeScaleNs;
  const clusters: { timeMs: number; bytes: Buffer }[] = [];
  let group: Frame[] = [];
  const flush = () => {
    const head = group[0];
    if (!head) return;
    const time = head.timeMs - startMs;
    const blocks = group.map((frame) => simpleBlock({ ...frame, timeMs: frame.timeMs - startMs }, time));
    clusters.push({ timeMs: time, bytes: element(Id.Cluster, uintElement(Id.Timecode, time), ...blocks) });
    group = [];
  };
  for (const frame of frames) {
    const head = group[0];
    if (head && frame.timeMs - head.timeMs >= CLUSTER_MS) flush();
    group.push(frame);
  }
  flush();

  const info = element(Id.Info, header.infoChildren, floatElement(Id.Duration, durationMs * ticksPerMs));
  const seekEntry = (id: number, position: number) =>
    element(Id.Seek, element(Id.SeekID, idAsBytes(id)), uintElement(Id.SeekPosition, position, 8));
  // The SeekHead's size does not depend on the positions (8-byte fields), so measure it first.
  const seekHeadLength = element(
    Id.SeekHead,
    seekEntry(Id.Info, 0),
    seekEntry(Id.Tracks, 0),
    seekEntry(Id.Cues, 0),
  ).length;
  const infoAt = seekHeadLength;
  const tracksAt = infoAt + info.length;
  let clusterAt = tracksAt + header.tracks.length;
  const cuePoints: Buffer[] = [];
  for (const cluster of clusters) {
    cuePoints.push(
      element(
        Id.CuePoint,
        uintElement(Id.CueTime, cluster.timeMs),
        element(
          Id.CueTrackPositions,
          uintElement(Id.CueTrack, 1),
          uintElement(Id.CueClusterPosition, clusterAt),
        ),
      ),
    );
    clusterAt += cluster.bytes.length;
  }
  const cues = element(Id.Cues, ...cuePoints);
  const seekHead = element(
    Id.SeekHead,
    seekEntry(Id.Info, infoAt),
    seekEntry(Id.Tracks, tracksAt),
    seekEntry(Id.Cues, clusterAt),
  );
  const segment = element(Id.Segment, seekHead, info, header.tracks, ...clusters.map((c) => c.bytes), cues);
  return Buffer.concat([header.ebml, segment]);
}
