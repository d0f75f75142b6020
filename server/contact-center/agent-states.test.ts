import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MISSED_QUEUE_CALL_REASON } from '../../contracts/agent-states';
import type { LiveEvent } from '../../contracts/events';
import type { Seat } from '../../contracts/sip';
import { AgentStates, SIGNED_IN_REASON, type AgentStateChangeNote } from './agent-states';

/** Registrations as the edge would report them: seat id → user. */
class Phones {
  readonly seats = new Map<string, number>();
  phonesOf(userId: number) {
    return { registered: [...this.seats.values()].includes(userId), canMix: false };
  }
  listSeats(): Seat[] {
    return [...this.seats].map(([id, userId]) => ({ id, userId }) as Seat);
  }
}

let phones: Phones;
let kept: AgentStateChangeNote[];
let events: LiveEvent[];
let wrapUps: { userId: number; callId: string; at: Date }[];
let moves: string[];
let board: AgentStates;

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-12-07T09:00:00Z') });
  phones = new Phones();
  kept = [];
  events = [];
  wrapUps = [];
  moves = [];
  board = new AgentStates({
    phones: () => phones,
    publish: (event) => events.push(event),
    keep: (change) => kept.push(change),
    queueCallMoved: ({ kind, userId, callId, at }) => {
      moves.push(`${kind} ${callId}`);
      if (kind === 'wrap_up_ended') wrapUps.push({ userId, callId, at });
    },
    reconcileMs: 50,
  });
});
afterEach(() => {
  board.close();
  vi.useRealTimers();
});

const path = () => kept.map((c) => `${c.from}>${c.to}${c.reason ? `(${c.reason})` : ''}`);

/** Registers a phone for the user and lets the board hear it. */
function register(userId: number, seat = `seat-${userId}`) {
  phones.seats.set(seat, userId);
  board.registrationChanged(seat);
  vi.advanceTimersByTime(50);
}

describe('agent states', () => {
  it('is Offline without a phone, Not ready "Just signed in" when one registers, Offline when it goes', () => {
    expect(board.stateOf(7).state).toBe('offline');
    register(7);
    expect(board.stateOf(7)).toMatchObject({ state: 'not_ready', reason: SIGNED_IN_REASON });
    phones.seats.delete('seat-7');
    board.registrationChanged('seat-7');
    expect(board.stateOf(7).state).toBe('offline');
    expect(path()).toEqual([`offline>not_ready(${SIGNED_IN_REASON})`, 'not_ready>offline']);
    expect(events).toEqual([
      { entity: 'agent', id: 7 },
      { entity: 'agent', id: 7 },
    ]);
  });

  it('reads the seats once for many registrations arriving together', () => {
    const listSeats = vi.spyOn(phones, 'listSeats');
    for (let id = 1; id <= 20; id++) {
      phones.seats.set(`s${id}`, id);
      board.registrationChanged(`s${id}`);
    }
    vi.advanceTimersByTime(50);
    expect(listSeats).toHaveBeenCalledTimes(1);
    expect(kept).toHaveLength(20);
  });

  it('names the sign-in reason after the reason code signed_in when there is one', () => {
    board.reasonCodesChanged([{ code: 'signed_in', label: 'Getting ready' }]);
    register(3);
    expect(board.stateOf(3).reason).toBe('Getting ready');
  });

  it('refuses a change with a sentence while offline, ringing or on a call', () => {
    expect(board.setAvailable(1)).toEqual({
      allowed: false,
      reason: 'Your phone is not signed in: open the phone and let it connect first.',
    });
    register(1);
    expect(board.setAvailable(1).allowed).toBe(true);
    board.offered(1, 'call-a');
    expect(board.setNotReady(1, 'Lunch')).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/ringing/),
    });
    board.answered(1, 'call-a', 4);
    expect(board.setAvailable(1)).toEqual({ allowed: false, reason: 'You are on a call.' });
    expect(board.endWrapUp(1)).toEqual({ allowed: false, reason: 'You are not in wrap-up.' });
  });

  it('tracks idle time and tells listeners when an agent becomes available', () => {
    const heard: number[] = [];
    board.onAvailable((id) => heard.push(id));
    register(2);
    expect(board.idleSince(2)).toBeNull();
    board.setAvailable(2);
    expect(board.idleSince(2)).toEqual(new Date('2026-12-07T09:00:00.050Z'));
    board.offered(2, 'c1');
    expect(board.idleSince(2)).toBeNull();
    board.withdrawn(2, 'c1');
    expect(board.stateOf(2).state).toBe('available');
    expect(heard).toEqual([2, 2]);
  });

  it('a missed queue call makes the agent Not ready with the reason; another call id changes nothing', () => {
    register(5);
    board.setAvailable(5);
    board.offered(5, 'c1');
    board.missed(5, 'other');
    expect(board.stateOf(5).state).toBe('ringing');
    board.missed(5, 'c1');
    expect(board.stateOf(5)).toMatchObject({ state: 'not_ready', reason: MISSED_QUEUE_CALL_REASON });
  });

  it('wrap-up ends by itself after the queue seconds; extend adds them again; end stops it early', () => {
    register(9);
    board.setAvailable(9);
    board.offered(9, 'c1');
    board.answered(9, 'c1', 4);
    expect(board.answeredToday(9)).toBe(1);
    vi.advanceTimersByTime(60_000);
    board.ended(9, 'c1', 30);
    const state = board.stateOf(9);
    expect(state).toMatchObject({ state: 'wrap_up', wrapUpCallId: 'c1' });
    expect(state.wrapUpEndsAt).toBe('2026-12-07T09:01:30.050Z');
    vi.advanceTimersByTime(20_000);
    expect(board.extendWrapUp(9).allowed).toBe(true);
    expect(board.stateOf(9).wrapUpEndsAt).toBe('2026-12-07T09:02:00.050Z');
    vi.advanceTimersByTime(39_999);
    expect(board.stateOf(9).state).toBe('wrap_up');
    vi.advanceTimersByTime(1);
    expect(board.stateOf(9).state).toBe('available');
    expect(wrapUps).toEqual([{ userId: 9, callId: 'c1', at: new Date('2026-12-07T09:02:00.050Z') }]);

    board.offered(9, 'c2');
    board.answered(9, 'c2', 4);
    board.ended(9, 'c2', 30);
    vi.advanceTimersByTime(5_000);
    expect(board.endWrapUp(9).allowed).toBe(true);
    expect(board.stateOf(9).state).toBe('available');
    vi.advanceTimersByTime(60_000);
    expect(wrapUps.map((w) => w.callId)).toEqual(['c1', 'c2']);
    expect(moves).toEqual([
      'offered c1',
      'ended c1',
      'wrap_up_ended c1',
      'offered c2',
      'ended c2',
      'wrap_up_ended c2',
    ]);
    expect(path().slice(-4)).toEqual([
      'available>ringing',
      'ringing>on_call',
      'on_call>wrap_up',
      'wrap_up>available',
    ]);
  });

  it('no wrap-up seconds: Available at once; choosing Not ready in wrap-up ends it', () => {
    register(4);
    board.setAvailable(4);
    board.offered(4, 'c1');
    board.answered(4, 'c1', 1);
    board.ended(4, 'c1', 0);
    expect(board.stateOf(4).state).toBe('available');
    board.offered(4, 'c2');
    board.answered(4, 'c2', 1);
    board.ended(4, 'c2', 10);
    expect(board.setNotReady(4, 'Lunch').allowed).toBe(true);
    expect(board.stateOf(4)).toMatchObject({ state: 'not_ready', reason: 'Lunch' });
    vi.advanceTimersByTime(20_000);
    expect(board.stateOf(4).state).toBe('not_ready');
    expect(wrapUps.map((w) => w.callId)).toEqual(['c1', 'c2']);
  });

  it('a phone lost during a queue call keeps On call until the call ends, then Offline', () => {
    register(6);
    board.setAvailable(6);
    board.offered(6, 'c1');
    board.answered(6, 'c1', 1);
    phones.seats.delete('seat-6');
    board.registrationChanged('seat-6');
    expect(board.stateOf(6).state).toBe('on_call');
    board.ended(6, 'c1', 30);
    expect(board.stateOf(6).state).toBe('offline');
  });

  it('counts calls answered today from midnight on', () => {
    register(8);
    board.loadAnsweredToday(new Map([[8, 4]]));
    expect(board.answeredToday(8)).toBe(4);
    vi.setSystemTime(new Date(2026, 11, 8, 0, 0, 1));
    expect(board.answeredToday(8)).toBe(0);
  });
});
