import { createContext, useContext, useSyncExternalStore } from 'react';
import type { MonitorMode } from '../../contracts/monitor';

/**
 * How the operator panel (src/admin) drives monitor sessions that the phone (src/phone) places:
 * the app shell gives the phone's implementation to both through this context, so neither
 * imports the other.
 */

/** The call an operator asks to monitor. */
export type MonitorTarget = {
  agentUserId: number;
  agentName: string;
  /** What the phone dials: the agent's extension. */
  agentExtension: string;
  /** The edge's id of the agent's call. */
  dialogId: string;
};

export type MonitorSessionView =
  | {
      /** Being set up; `mode` is the mode asked for. */
      status: 'starting';
      target: MonitorTarget;
      mode: MonitorMode;
    }
  | {
      status: 'active';
      target: MonitorTarget;
      mode: MonitorMode;
      /** A mode change sent and not yet answered. */
      pendingMode: MonitorMode | null;
      /** When the session was answered (ms since the epoch). */
      since: number;
      /** The last mode change that was refused, as a sentence; null when none. */
      notice: string | null;
    }
  | {
      /** Refused, stopped, or ended because the agent's call ended. */
      status: 'ended';
      target: MonitorTarget;
      /** Why, as a sentence (the edge's refusal reason, or what ended it). */
      reason: string;
      /** True when it never started (refused or failed). */
      refused: boolean;
    };

export interface MonitorLink {
  subscribe(listener: () => void): () => void;
  getSnapshot(): MonitorSessionView | null;
  /** Starts a session (stopping any other first). */
  start(target: MonitorTarget, mode: MonitorMode): void;
  /** Switches the running session to another mode (checked again by the edge). */
  changeMode(mode: MonitorMode): void;
  stop(): void;
  /** Forgets an ended session's outcome. */
  dismiss(): void;
}

export const MonitorLinkContext = createContext<MonitorLink | null>(null);

const noSession = () => () => undefined;
const nothing = () => null;

/** The link to the phone, or null where there is no phone (tests, no profile). */
export function useMonitorLink(): MonitorLink | null {
  return useContext(MonitorLinkContext);
}

/** The operator's current (or last) monitor session, re-rendered as it changes. */
export function useMonitorSession(): MonitorSessionView | null {
  const link = useContext(MonitorLinkContext);
  return useSyncExternalStore(
    link ? link.subscribe : noSession,
    link ? link.getSnapshot : nothing,
    link ? link.getSnapshot : nothing,
  );
}
