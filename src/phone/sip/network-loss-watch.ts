/** How often a registered phone checks its SIP connection when nothing else prompts it. */
export const PING_INTERVAL_MS = 15_000;

type IceWatched = Pick<RTCPeerConnection, 'iceConnectionState' | 'addEventListener' | 'removeEventListener'>;

export type NetworkLossWatchOptions = {
  /** Pings the SIP connection: true when it answered (see `pingAnswered`). */
  ping: () => Promise<boolean>;
  /** The connection did not answer: the network under the phone changed or went away. */
  lost: () => void;
  intervalMs?: number;
};

/**
 * Notices a network change the browser does not announce (no `online` event, no connection
 * change: e.g. a laptop moving from Wi-Fi to a cable keeps "being online"). The SIP connection
 * is pinged every `intervalMs`, and at once when a call's ICE loses its path (`disconnected` or
 * `failed`); a ping without a pong reports `lost` once, until `start` is called again. A call
 * losing its path while the connection answers is the other side's network: that side restarts
 * ICE, so nothing is done here.
 */
export class NetworkLossWatch {
  private readonly options: NetworkLossWatchOptions;
  private timer: ReturnType<typeof setInterval> | undefined;
  private running = false;
  private checking = false;

  constructor(options: NetworkLossWatchOptions) {
    this.options = options;
  }

  /** Starts (again) watching a freshly registered connection. */
  start(): void {
    this.stop();
    this.running = true;
    this.timer = setInterval(() => void this.check(), this.options.intervalMs ?? PING_INTERVAL_MS);
  }

  /** Stops watching (the connection is being replaced, or the phone stops). */
  stop(): void {
    this.running = false;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Pings now; reports `lost` if the connection does not answer. */
  async check(): Promise<void> {
    if (!this.running || this.checking) return;
    this.checking = true;
    try {
      const answered = await this.options.ping().catch(() => false);
      if (!answered && this.running) {
        this.stop();
        this.options.lost();
      }
    } finally {
      this.checking = false;
    }
  }

  /** Checks the connection whenever this peer connection's ICE loses its path. */
  watchIce(peerConnection: IceWatched): void {
    const onChange = () => {
      const state = peerConnection.iceConnectionState;
      if (state === 'closed') peerConnection.removeEventListener('iceconnectionstatechange', onChange);
      else if (state === 'disconnected' || state === 'failed') void this.check();
    };
    peerConnection.addEventListener('iceconnectionstatechange', onChange);
  }
}
