import { http, HttpResponse } from 'msw';
import type { SeatList } from '../../../contracts/sip';
import { fakeDb } from '../fake-db';
import { notFound } from './api-errors';

export const seatHandlers = [
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
