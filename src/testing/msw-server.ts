import { setupServer } from 'msw/node';
import { agentStateHistoryHandlers } from './handlers/agent-state-history';
import { agentStateHandlers } from './handlers/agent-states';
import { auditHandlers } from './handlers/audit';
import { callHandlers } from './handlers/calls';
import { creditHandlers } from './handlers/credit';
import { deviceHandlers } from './handlers/devices';
import { groupHandlers } from './handlers/groups';
import { healthHandlers } from './handlers/health';
import { monitorHandlers } from './handlers/monitor';
import { numberHandlers } from './handlers/numbers';
import { profileHandlers } from './handlers/profiles';
import { queueReportHandlers } from './handlers/queue-reports';
import { queueHandlers } from './handlers/queues';
import { reasonCodeHandlers } from './handlers/reason-codes';
import { recordingHandlers } from './handlers/recordings';
import { seatHandlers } from './handlers/seats';
import { sessionHandlers } from './handlers/session';
import { trunkHandlers } from './handlers/trunks';
import { userHandlers } from './handlers/users';

/** The API as the web tests see it: happy paths only; a test adds errors with `server.use()`. */
export const server = setupServer(
  ...sessionHandlers,
  ...healthHandlers,
  ...profileHandlers,
  ...userHandlers,
  ...groupHandlers,
  ...callHandlers,
  ...auditHandlers,
  ...seatHandlers,
  ...monitorHandlers,
  ...trunkHandlers,
  ...numberHandlers,
  ...creditHandlers,
  ...queueHandlers,
  ...reasonCodeHandlers,
  ...agentStateHandlers,
  ...agentStateHistoryHandlers,
  ...queueReportHandlers,
  ...recordingHandlers,
  ...deviceHandlers,
);
