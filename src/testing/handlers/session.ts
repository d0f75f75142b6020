import { http, HttpResponse } from 'msw';
import type { Me } from '../../../contracts/users';
import type { SessionState, SignIn } from '../../../contracts/session';
import type { ApiError } from '../../../contracts/errors';
import { fakeSession } from '../fake-session';

const unauthenticated: ApiError = {
  error: { code: 'unauthenticated', message: 'Sign in to continue.' },
};

export const sessionHandlers = [
  http.get('/api/me', () => {
    const me = fakeSession.current();
    return me ? HttpResponse.json<Me>(me) : HttpResponse.json(unauthenticated, { status: 401 });
  }),
  http.get('/api/session', () => HttpResponse.json<SessionState>({ me: fakeSession.current() ?? null })),
  // Any demo username signs in, whatever the password: wrong passwords are tested with server.use().
  http.post('/api/session', async ({ request }) => {
    const { username } = (await request.json()) as SignIn;
    return HttpResponse.json<Me>(fakeSession.signIn(username));
  }),
  http.delete('/api/session', () => {
    fakeSession.signOut();
    return new HttpResponse(null, { status: 204 });
  }),
];
