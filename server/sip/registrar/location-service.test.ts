import { describe, expect, it } from 'vitest';
import { FakeConnection } from '../transaction/fake-connection.fixture';
import { LocationService, type Binding } from './location-service';

let ids = 0;

function binding(connection: FakeConnection, userId: number, contactKey: string, profileId = 1): Binding {
  ids += 1;
  return {
    id: `b${ids}`,
    userId,
    username: `user${userId}`,
    displayName: `User ${userId}`,
    extension: String(1000 + userId),
    profileId,
    profileName: 'agents',
    connection,
    contactUri: `sip:${contactKey};transport=ws`,
    contactKey,
    contactParams: new Map(),
    expiresAt: Date.now() + 60_000,
    since: Date.now(),
    userAgent: null,
    remoteAddress: connection.remoteAddress,
    deviceId: null,
    authUsername: `user${userId}`,
  };
}

describe('LocationService', () => {
  it('finds a binding by connection, user and Contact, with one binding or several on a connection', () => {
    const location = new LocationService();
    const ws = new FakeConnection('ws', 'ws-1');
    const first = binding(ws, 1, 'a@x.invalid');
    location.add(first);
    expect(location.find('ws-1', 1, 'a@x.invalid')).toBe(first);
    expect(location.find('ws-1', 1, 'b@x.invalid')).toBeUndefined();
    expect(location.find('ws-1', 2, 'a@x.invalid')).toBeUndefined();
    expect(location.find('ws-2', 1, 'a@x.invalid')).toBeUndefined();

    const second = binding(ws, 1, 'b@x.invalid');
    const other = binding(ws, 2, 'a@x.invalid');
    location.add(second);
    location.add(other);
    expect(location.find('ws-1', 1, 'a@x.invalid')).toBe(first);
    expect(location.find('ws-1', 1, 'b@x.invalid')).toBe(second);
    expect(location.find('ws-1', 2, 'a@x.invalid')).toBe(other);
    expect(location.ofConnection('ws-1')).toEqual([first, second, other]);
    expect(location.ofUser(1)).toEqual([first, second]);
  });

  it('takes bindings out one by one down to none, and counts a user’s seat once per profile', () => {
    const location = new LocationService();
    const ws = new FakeConnection('ws', 'ws-1');
    const tcp = new FakeConnection('tcp', 'tcp-1');
    const phone = binding(ws, 1, 'a@x.invalid');
    const desk = binding(tcp, 1, 'desk@192.0.2.10');
    const laptop = binding(ws, 1, 'b@x.invalid');
    for (const b of [phone, desk, laptop]) location.add(b);
    expect(location.seatsInUse(1)).toBe(1);
    expect(location.holdsSeat(1, 1)).toBe(true);

    expect(location.remove(laptop)).toBe(true);
    expect(location.remove(laptop)).toBe(false);
    expect(location.ofConnection('ws-1')).toEqual([phone]);
    expect(location.find('ws-1', 1, 'a@x.invalid')).toBe(phone);
    expect(location.ofUser(1)).toEqual([phone, desk]);

    expect(location.removeConnection('ws-1')).toEqual([phone]);
    expect(location.ofConnection('ws-1')).toEqual([]);
    expect(location.ofUser(1)).toEqual([desk]);
    expect(location.holdsSeat(1, 1)).toBe(true);

    expect(location.removeUser(1)).toEqual([desk]);
    expect(location.ofUser(1)).toEqual([]);
    expect(location.size).toBe(0);
    expect(location.seatsInUse(1)).toBe(0);
    expect(location.holdsSeat(1, 1)).toBe(false);
  });

  it('tells listeners of each binding added and removed, and leaves out the expired and the closed', () => {
    const location = new LocationService();
    const ws = new FakeConnection('ws', 'ws-1');
    const gone = new FakeConnection('ws', 'ws-2');
    const changes: string[] = [];
    location.onChange((b, change) => changes.push(`${change} ${b.id}`));
    const live = binding(ws, 1, 'a@x.invalid');
    const expired = { ...binding(ws, 1, 'b@x.invalid'), expiresAt: Date.now() - 1 };
    const onClosed = binding(gone, 1, 'c@x.invalid');
    for (const b of [live, expired, onClosed]) location.add(b);
    gone.close();

    expect(location.ofUser(1)).toEqual([live]);
    expect(location.sweep()).toEqual([expired]);
    expect(changes).toEqual([
      `added ${live.id}`,
      `added ${expired.id}`,
      `added ${onClosed.id}`,
      `removed ${expired.id}`,
    ]);
  });
});
