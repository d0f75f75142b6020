import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../events/event-bus';
import { createLogger } from '../../log';
import { listCalls } from '../../store/calls-repository';
import type { Database } from '../../store/database';
import { freshTestDatabase } from '../../store/test-database';
import { CallRecorder } from './call-recorder';

const newCall = (callId: string) => ({
  callId,
  fromUri: 'sip:agent1@test.local',
  fromName: 'Agent One',
  fromUserId: null,
  toUri: 'sip:7000@test.local',
  toName: 'Queue sales',
  toUserId: null,
  callerProfileId: null,
  callerProfile: null,
  calleeProfileId: null,
  calleeProfile: null,
});

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

  it('writes the calls started together in one insert, each once, with its own id and start', async () => {
    const events = new EventBus();
    const heard: unknown[] = [];
    events.subscribe((event) => heard.push(event));
    const recorder = new CallRecorder(database.db, events, createLogger('silent'), 50);
    const callIds = Array.from({ length: 20 }, (_, i) => `burst-${i}@test`);
    const startedAt = (i: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, i));
    const records = callIds.map((callId, i) =>
      recorder.start({ ...newCall(callId), startedAt: startedAt(i) }),
    );
    records[3]?.finish('missed', 'Nobody answered');
    await recorder.idle();

    const ids = await Promise.all(records.map((r) => r.id));
    expect(new Set(ids).size).toBe(20);
    const { items } = await listCalls(database.db, {}, { offset: 0, limit: 100 });
    const burst = items.filter((row) => row.callId.startsWith('burst-'));
    expect(burst).toHaveLength(20);
    for (const [i, callId] of callIds.entries()) {
      const row = burst.find((r) => r.callId === callId);
      expect(row?.id).toBe(ids[i]);
      expect(new Date(row?.startedAt ?? 0).toISOString()).toBe(startedAt(i).toISOString());
    }
    expect(burst.find((r) => r.callId === callIds[3])?.disposition).toBe('missed');
    // One event per insert and one for the finish.
    expect(heard).toHaveLength(21);
  });

  it('still records each call once when one of a batch reuses a Call-ID already recorded', async () => {
    const recorder = new CallRecorder(database.db, new EventBus(), createLogger('silent'), 50);
    const first = recorder.start(newCall('reused@test'));
    await recorder.idle();
    const again = recorder.start(newCall('reused@test'));
    const other = recorder.start(newCall('fresh@test'));
    await recorder.idle();

    const ids = [await first.id, await again.id, await other.id];
    expect(ids.every((id) => typeof id === 'number')).toBe(true);
    expect(new Set(ids).size).toBe(3);
    const { items } = await listCalls(database.db, {}, { offset: 0, limit: 100 });
    expect(items.filter((row) => row.callId.startsWith('reused@test'))).toHaveLength(2);
    expect(items.filter((row) => row.callId === 'fresh@test')).toHaveLength(1);
  });
});
