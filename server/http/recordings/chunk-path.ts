/** A recording chunk upload: it has its own body limit (MAX_RECORDING_CHUNK_BYTES), not the API's. */
export function isChunkUpload(method: string, path: string): boolean {
  return method === 'PUT' && /^\/api\/recordings\/[^/]+\/chunks\/[^/]+$/.test(path);
}
