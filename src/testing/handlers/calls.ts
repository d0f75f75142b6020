import { http, HttpResponse } from 'msw';
import type { CallList } from '../../../contracts/calls';
import { demoCalls } from '../demo-data';

export const callHandlers = [
  http.get('/api/calls', () =>
    HttpResponse.json<CallList>({ items: demoCalls, total: demoCalls.length, offset: 0, limit: 50 }),
  ),
];
