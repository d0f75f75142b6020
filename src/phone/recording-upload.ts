import type { Recording, RecordingMark } from '../../contracts/recordings';

/** Said when chunks have not reached the server for this long. */
const BEHIND_AFTER_MS = 5_000;
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 8_000;

/** What the server said when it refused, or a sentence when it could not be reached. */
export class RecordingRefused extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function send(method: string, path: string, body?: BodyInit, json = true): Promise<Response> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers:
      body === undefined ? {} : { 'content-type': json ? 'application/json' : 'application/octet-stream' },
    body,
  });
  if (response.ok) return response;
  const text = await response.text().catch(() => '');
  let message = `The server answered ${response.status}.`;
  try {
    message = (JSON.parse(text) as { error: { message: string } }).error.message;
  } catch {
    // Not the API's error shape (a proxy's page): the status says enough.
  }
  throw new RecordingRefused(message, response.status);
}

/** How long a start refused as "not answered yet" (409) is tried again, and how often. */
const ANSWER_WAIT_MS = 3_000;
const ANSWER_RETRY_MS = 150;

/**
 * Starts recording a live call; the server checks the profile and that this phone is on it.
 * A phone that has just answered knows it before the edge does: its 200 OK and this request
 * travel separately, so a 409 ("not answered yet") is tried again for a few seconds.
 */
export async function startRecording(callId: string): Promise<Recording> {
  const started = Date.now();
  for (;;) {
    try {
      const response = await send('POST', '/api/recordings', JSON.stringify({ callId }));
      return (await response.json()) as Recording;
    } catch (error) {
      const notYet = error instanceof RecordingRefused && error.status === 409;
      if (!notYet || Date.now() - started >= ANSWER_WAIT_MS) throw error;
      await new Promise((resolve) => setTimeout(resolve, ANSWER_RETRY_MS));
    }
  }
}

export async function markRecording(id: string, mark: RecordingMark): Promise<void> {
  await send('POST', `/api/recordings/${id}/marks`, JSON.stringify(mark));
}

export async function finishRecording(id: string): Promise<void> {
  await send('POST', `/api/recordings/${id}/finish`);
}

/**
 * Sends a recording's chunks in order, each under its sequence number, retrying with backoff
 * (the server stores a number once, so a retry after a lost answer does no harm). Tells the
 * person when the chunks have been held back for a while, and again when they have caught up.
 */
export class ChunkUploader {
  readonly #queue: { seq: number; data: Blob }[] = [];
  #running: Promise<void> | null = null;
  #failingSince: number | null = null;
  #behind = false;
  #gaveUp = false;

  constructor(
    private readonly recordingId: string,
    private readonly onBehind: (behind: boolean) => void,
  ) {}

  add(seq: number, data: Blob): void {
    if (this.#gaveUp) return;
    this.#queue.push({ seq, data });
    this.#running ??= this.#drain().finally(() => {
      this.#running = null;
    });
  }

  /** Resolves once every chunk so far has been stored (or refused for good). */
  async flushed(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    let wait = RETRY_FIRST_MS;
    while (this.#queue.length > 0) {
      const next = this.#queue[0];
      if (!next) break;
      try {
        await send('PUT', `/api/recordings/${this.recordingId}/chunks/${next.seq}`, next.data, false);
        this.#queue.shift();
        wait = RETRY_FIRST_MS;
        this.#failingSince = null;
        if (this.#behind) this.onBehind((this.#behind = false));
      } catch (error) {
        // A refusal (finished, not ours) will not change by retrying; everything else might.
        if (
          error instanceof RecordingRefused &&
          error.status >= 400 &&
          error.status < 500 &&
          error.status !== 408 &&
          error.status !== 429
        ) {
          this.#queue.length = 0;
          this.#gaveUp = true;
          return;
        }
        this.#failingSince ??= Date.now();
        if (!this.#behind && Date.now() - this.#failingSince >= BEHIND_AFTER_MS)
          this.onBehind((this.#behind = true));
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(wait * 2, RETRY_MAX_MS);
      }
    }
  }
}
