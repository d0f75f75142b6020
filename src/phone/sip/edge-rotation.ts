/** How many tries in a row one edge gets (the drop or first failure, then one reconnection). */
export const TRIES_PER_EDGE = 2;

/** Where the phone's next connection try goes, and whether it should wait its back-off first. */
export type EdgeTry = {
  /** The edge's WebSocket URL. */
  url: string;
  /** Its place in the list, 0 for the first. */
  index: number;
  /** True when the try goes to another edge than the failed one without wrapping round: no wait. */
  atOnce: boolean;
};

/**
 * The SIP edges a phone may use (WebSocket URLs, in order of preference) and which one it uses
 * now. The phone starts at the first; a failed try counts against the current edge, and after
 * `triesPerEdge` failures in a row the next edge takes over, round the list. A move forward is
 * tried at once (the other edge is likely fine); wrapping back to the first waits the back-off
 * like any retry, so a phone whose edges are all down does not knock in a tight loop. Once the
 * phone is registered it stays on that edge until it fails.
 */
export class EdgeRotation {
  readonly urls: readonly string[];
  private readonly triesPerEdge: number;
  private position = 0;
  private failures = 0;

  constructor(urls: readonly string[], triesPerEdge = TRIES_PER_EDGE) {
    if (urls.length === 0) throw new Error('The phone was given no SIP server to connect to.');
    this.urls = urls;
    this.triesPerEdge = Math.max(1, triesPerEdge);
  }

  /** The edge the next try goes to. */
  get current(): EdgeTry {
    return { url: this.urls[this.position] ?? '', index: this.position, atOnce: false };
  }

  /** How many edges there are. */
  get count(): number {
    return this.urls.length;
  }

  /** A try on the current edge failed (or its connection dropped): where the next one goes. */
  failed(): EdgeTry {
    this.failures += 1;
    if (this.failures < this.triesPerEdge || this.urls.length === 1) return this.current;
    this.failures = 0;
    this.position = (this.position + 1) % this.urls.length;
    return { ...this.current, atOnce: this.position !== 0 };
  }

  /** The phone registered through the current edge: it stays there, with a clean slate. */
  succeeded(): void {
    this.failures = 0;
  }
}
