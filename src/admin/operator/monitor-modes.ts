import { monitorModes, type MonitorBoard, type MonitorMode } from '../../../contracts/monitor';

/** The buttons' words. */
export const modeLabels: Record<MonitorMode, string> = {
  listen: 'Listen',
  whisper: 'Whisper',
  barge: 'Barge',
};

/** "Monitored by Sam Supervisor (whispering)". */
export const modeDoing: Record<MonitorMode, string> = {
  listen: 'listening',
  whisper: 'whispering',
  barge: 'barging in',
};

/** The modes a profile allows, in their usual order. */
export function allowedModes(modes: MonitorBoard['modes']): MonitorMode[] {
  return monitorModes.filter((mode) => modes[mode]);
}

/** The same from a profile's flags, while the board is not loaded. */
export function modesFromFlags(flags: readonly string[]): MonitorMode[] {
  return monitorModes.filter((mode) => flags.includes(mode));
}

/** "Starting to listen to Agent Three…" */
export function startingSentence(mode: MonitorMode, agentName: string): string {
  switch (mode) {
    case 'listen':
      return `Starting to listen to ${agentName}…`;
    case 'whisper':
      return `Starting to whisper to ${agentName}…`;
    case 'barge':
      return `Starting to barge in on ${agentName}'s call…`;
  }
}

/** "Listening to Agent Three's call" */
export function activeSentence(mode: MonitorMode, agentName: string): string {
  switch (mode) {
    case 'listen':
      return `Listening to ${agentName}'s call`;
    case 'whisper':
      return `Whispering to ${agentName} on their call`;
    case 'barge':
      return `Barging in on ${agentName}'s call`;
  }
}
