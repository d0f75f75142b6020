import { http, HttpResponse } from 'msw';
import type { User, UserList } from '../../../contracts/users';
import { demoUsers } from '../demo-data';

export const userHandlers = [
  http.get('/api/users', () =>
    HttpResponse.json<UserList>({ items: demoUsers, total: demoUsers.length, offset: 0, limit: 50 }),
  ),
  http.get<{ id: string }>('/api/users/:id', ({ params }) => {
    const user = demoUsers.find((candidate) => String(candidate.id) === params.id);
    return user
      ? HttpResponse.json<User>(user)
      : HttpResponse.json({ error: { code: 'not_found', message: 'No such user.' } }, { status: 404 });
  }),
];
