import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../events/event-bus';
import { createLogger } from '../../log';
import { listCalls } from '../../store/calls-repository';
import type { Database } from '../../store/database';
import { freshTestDatabase } from '../../store/test-database';
import { CallRecorder } from './call-recorder';

describe('CallRecorder', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshTestDatabase();
  });
  afterAll(() => database.close());

  it('writes a new call only after the set-up moment (SIP first), with the INVITE time as start', async () => {
    const events = new EventBus();
    const heard: unknown[] = [];
    events.subscribe((event) => heard.push(event));
    const recorder = new CallRecorder(database.db, events, createLogger('silent'), 200);
    const invitedAt = Date.now();
    const record = recorder.start({
      callId: 'delay-1@test',
      fromUri: 'sip:agent1@test.local',
      fromName: 'Agent One',
      fromUserId: null,
      toUri: 'sip:agent2@test.local',
      toName: 'Agent Two',
      toUserId: null,
      callerProfileId: null,
      callerProfile: null,
      calleeProfileId: null,
      calleeProfile: null,
    });
    record.answered();

    // The 180, 200 and ACK of an answered call pass within this time: no query runs meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await listCalls(database.db, {}, { offset: 0, limit: 10 })).total).toBe(0);
    expect(heard).toEqual([]);

    await recorder.idle();
    const { items } = await listCalls(database.db, {}, { offset: 0, limit: 10 });
    expect(items).toHaveLength(1);
    const [row] = items;
    expect(Math.abs(new Date(row?.startedAt ?? 0).getTime() - invitedAt)).toBeLessThan(50);
    expect(row?.answeredAt).not.toBeNull();
    expect(heard).toEqual([
      { entity: 'call', id: await record.id },
      { entity: 'call', id: await record.id },
    ]);
  });
});
