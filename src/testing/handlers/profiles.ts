import { http, HttpResponse } from 'msw';
import type { Profile, ProfileList } from '../../../contracts/profiles';
import { demoProfiles } from '../demo-data';

export const profileHandlers = [
  http.get('/api/profiles', () => HttpResponse.json<ProfileList>({ items: demoProfiles })),
  http.get<{ id: string }>('/api/profiles/:id', ({ params }) => {
    const profile = demoProfiles.find((candidate) => String(candidate.id) === params.id);
    return profile
      ? HttpResponse.json<Profile>(profile)
      : HttpResponse.json({ error: { code: 'not_found', message: 'No such profile.' } }, { status: 404 });
  }),
];
