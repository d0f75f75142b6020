import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitorBoardSchema } from '../../contracts/monitor';
import { addMember } from '../../server/store/groups-repository';
import { makeUser } from './support/fixtures';
import { groupId } from './support/snapshot';
import { startTestServer, type TestServer } from './support/test-server';

// The board without a SIP edge: nobody is registered, so the group's members are all offline.
// (test/sip/monitor.test.ts checks it with phones registered and calls going on.)
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('GET /api/monitor/board', () => {
  it('gives an operator their barge group, the modes their profile allows, and members offline', async () => {
    const operator = await server.signIn('operator');
    const response = await operator.get('/api/monitor/board');
    expect(response.status).toBe(200);
    const board = monitorBoardSchema.parse(response.body);
    expect(board.group?.name).toBe('floor_1');
    expect(board.modes).toEqual({ listen: true, whisper: true, barge: true });
    expect(board.notice).toBeNull();
    expect(board.members.map((m) => [m.username, m.state, m.calls.length])).toEqual([
      ['agent1', 'offline', 0],
      ['agent2', 'offline', 0],
      ['agent3', 'offline', 0],
    ]);
    expect(board.members.map((m) => m.cannotMonitor)).toEqual([null, null, null]);
  });

  it('says why a member of a higher role cannot be monitored, even one written into the group directly', async () => {
    const boss = await makeUser(server.db, { role: 'admin', displayName: 'Boss Admin' });
    await addMember(server.db, await groupId(server.db, 'floor_1'), boss.id);
    const operator = await server.signIn('operator');
    const board = monitorBoardSchema.parse((await operator.get('/api/monitor/board')).body);
    const member = board.members.find((m) => m.userId === boss.id);
    expect(member?.cannotMonitor).toBe('Boss Admin is an admin; an operator may monitor only agents');
    expect(board.members.filter((m) => m.cannotMonitor === null)).toHaveLength(3);
  });

  it('tells a supervisor whose profile has no barge group why there is nothing to monitor', async () => {
    const supervisor = await server.signIn('supervisor');
    const board = monitorBoardSchema.parse((await supervisor.get('/api/monitor/board')).body);
    expect(board).toMatchObject({
      group: null,
      members: [],
      modes: { listen: false, whisper: false, barge: false },
    });
    expect(board.notice).toBe(
      'Your profile allows no monitoring (listen, whisper or barge); ask a supervisor.',
    );
  });
});
