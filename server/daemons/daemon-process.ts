import type { ChildProcess } from 'node:child_process';

/** What a supervised daemon (rtpengine, coturn) is doing, and since when. */
export interface DaemonState {
  state: 'starting' | 'running' | 'restarting';
  since: Date;
}

/**
 * The daemon's state after `change`: `since` moves only when the state does, so the console says
 * how long it has run (or tried to start), not when it last looked. rtpengine's and coturn's
 * supervisors keep their state this one way.
 */
export function changedState<S extends DaemonState>(current: S, change: Partial<S>): S {
  const state = change.state ?? current.state;
  return { ...current, ...change, since: state === current.state ? current.since : new Date() };
}

/**
 * Stops a daemon the server started: SIGTERM, then SIGKILL after `graceMs` if it has not exited;
 * resolves once it has. A daemon that already exited is left alone. Shared by the supervisors so
 * that every daemon stops the same way when the server does.
 */
export async function stopDaemon(child: ChildProcess | null, graceMs = 3_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
