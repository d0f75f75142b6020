/**
 * The little of EBML (the format under WebM) the recording assembler needs: reading element
 * IDs and sizes, and writing elements back with sizes known.
 */

/** Element IDs as read (marker bits kept), as numbers. */
export const Id = {
  EBML: 0x1a45dfa3,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Seek: 0x4dbb,
  SeekID: 0x53ab,
  SeekPosition: 0x53ac,
  Info: 0x1549a966,
  TimecodeScale: 0x2ad7b1,
  Duration: 0x4489,
  Tracks: 0x1654ae6b,
  Cluster: 0x1f43b675,
  Timecode: 0xe7,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
  Cues: 0x1c53bb6b,
  CuePoint: 0xbb,
  CueTime: 0xb3,
  CueTrackPositions: 0xb7,
  CueTrack: 0xf7,
  CueClusterPosition: 0xf1,
  Void: 0xec,
} as const;

/** Elements that end an unknown-sized Cluster when met at its level. */
export const TOP_LEVEL_IDS: ReadonlySet<number> = new Set([
  Id.Cluster,
  Id.Cues,
  Id.SeekHead,
  Id.Info,
  Id.Tracks,
  0x1254c367, // Tags
  0x1043a770, // Chapters
  0x1941a469, // Attachments
  Id.EBML,
  Id.Segment,
]);

/** A size of all ones: "unknown" (live streams such as MediaRecorder's write Segment and Cluster so). */
export const UNKNOWN_SIZE = -1;

export type Vint = { value: number; length: number };

/** An element ID at `at` (1–4 bytes, marker kept); null when cut off or invalid. */
export function readId(data: Uint8Array, at: number): Vint | null {
  const first = data[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (length > 4 || at + length > data.length) return null;
  let value = 0;
  for (let i = 0; i < length; i++) value = value * 256 + (data[at + i] ?? 0);
  return { value, length };
}

/** An element size at `at` (1–8 bytes, marker stripped); UNKNOWN_SIZE when all ones. */
export function readSize(data: Uint8Array, at: number): Vint | null {
  const first = data[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (at + length > data.length) return null;
  let value = first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = data[at + i] ?? 0;
    if (byte !== 0xff) allOnes = false;
    value = value * 256 + byte;
  }
  return { value: allOnes ? UNKNOWN_SIZE : value, length };
}

export function readUint(data: Uint8Array, at: number, length: number): number {
  let value = 0;
  for (let i = 0; i < length; i++) value = value * 256 + (data[at + i] ?? 0);
  return value;
}

/** An element's header: its ID, its payload's size, and where the payload starts. */
export type ElementHeader = { id: number; size: number; dataAt: number };

export function readHeader(data: Uint8Array, at: number): ElementHeader | null {
  const id = readId(data, at);
  if (!id) return null;
  const size = readSize(data, at + id.length);
  if (!size) return null;
  return { id: id.value, size: size.value, dataAt: at + id.length + size.length };
}

function idBytes(id: number): Buffer {
  const length = id >= 0x1000000 ? 4 : id >= 0x10000 ? 3 : id >= 0x100 ? 2 : 1;
  const out = Buffer.alloc(length);
  out.writeUIntBE(id, 0, length);
  return out;
}

/** A size as an 8-byte vint: sizes are then known before the payload is, at 7 bytes' cost. */
function sizeBytes(size: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeUInt8(0x01, 0);
  out.writeUIntBE(size, 2, 6);
  return out;
}

export function element(id: number, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  return Buffer.concat([idBytes(id), sizeBytes(body.length), body]);
}

export function uintElement(id: number, value: number, width?: number): Buffer {
  let length = width ?? 1;
  if (width === undefined) while (length < 6 && value >= 2 ** (8 * length)) length++;
  const body = Buffer.alloc(length);
  body.writeUIntBE(value, 0, Math.min(length, 6));
  if (length > 6) {
    body.fill(0);
    body.writeUIntBE(value, length - 6, 6);
  }
  return element(id, body);
}

export function floatElement(id: number, value: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeDoubleBE(value, 0);
  return element(id, body);
}

export function idAsBytes(id: number): Buffer {
  return idBytes(id);
}
