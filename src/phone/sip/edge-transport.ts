import { Transport } from 'sip.js/lib/platform/web/transport/index.js';

/** A transport that can be pointed at another SIP edge before its next connection. */
export interface EdgeSwitchable {
  useServer(url: string): void;
}

/** Whether `transport` can be pointed at another edge (ours and the tests' fake can). */
export function isEdgeSwitchable(transport: unknown): transport is EdgeSwitchable {
  return typeof (transport as Partial<EdgeSwitchable> | null)?.useServer === 'function';
}

/**
 * sip.js's WebSocket transport whose next connection may go to another edge. sip.js fixes the
 * server when the user agent is built, but the user agent holds the calls: replacing it would
 * lose them. Its transport opens each WebSocket to `server`, so this one answers with the edge
 * the phone chose last.
 */
export class EdgeTransport extends Transport implements EdgeSwitchable {
  private chosen: string | undefined;

  override get server(): string {
    return this.chosen ?? super.server;
  }

  useServer(url: string): void {
    this.chosen = url;
  }
}
