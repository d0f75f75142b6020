import { http, HttpResponse } from 'msw';
import type { RelayStatus, SeatList } from '../../../contracts/sip';
import { fakeDb } from '../fake-db';
import { notFound } from './api-errors';

/** No relay configured, as in a fresh install (tests that show one answer with `server.use`). */
const noRelay: RelayStatus = {
  mode: 'none',
  state: 'off',
  urls: [],
  iceTransportPolicy: 'all',
  since: null,
  restarts: 0,
  problem: null,
};

export const seatHandlers = [
  http.get('/api/relay', () => HttpResponse.json<RelayStatus>(noRelay)),
  http.get('/api/seats', () => HttpResponse.json<SeatList>({ items: fakeDb.state.seats })),
  http.delete<{ id: string }>('/api/seats/:id', ({ params }) => {
    const seat = fakeDb.state.seats.find((candidate) => String(candidate.id) === params.id);
    if (!seat) return notFound(`Seat ${params.id}`);
    fakeDb.state.seats = fakeDb.state.seats.filter((candidate) => candidate !== seat);
    const profile = fakeDb.state.profiles.find((candidate) => candidate.id === seat.profileId);
    if (profile) profile.seatsInUse = Math.max(0, profile.seatsInUse - 1);
    return new HttpResponse(null, { status: 204 });
  }),
];
