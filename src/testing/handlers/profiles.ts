import { http, HttpResponse } from 'msw';
import {
  profileCreateSchema,
  profileUpdateSchema,
  type Profile,
  type ProfileDeleted,
  type ProfileDeletionImpact,
  type ProfileList,
} from '../../../contracts/profiles';
import { formatMinorUnits } from '../../../contracts/money';
import { fakeCredit } from '../fake-credit';
import { fakeDb } from '../fake-db';
import { apiError, notFound } from './api-errors';

type IdParams = { id: string };

const find = (id: string) => fakeDb.state.profiles.find((profile) => String(profile.id) === id);

function profileCalls(name: string) {
  return fakeDb.state.calls.filter((call) => call.callerProfile === name || call.calleeProfile === name);
}

function invalid(fields: Record<string, string>) {
  return apiError(400, {
    code: 'validation_failed',
    message: `Please correct the request: ${Object.values(fields).join('; ')}.`,
    fields,
  });
}

function zodFields(issues: readonly { path: PropertyKey[]; message: string }[]) {
  return Object.fromEntries(issues.map((issue) => [issue.path.join('.'), issue.message]));
}

/** The numbers allocated to a profile, in order, as the server lists them. */
const profileNumbers = (profileId: number) =>
  fakeDb.state.numbers
    .filter((number) => number.profile?.id === profileId)
    .map((number) => number.number)
    .sort();

export const profileHandlers = [
  http.get('/api/profiles', () => HttpResponse.json<ProfileList>({ items: fakeDb.state.profiles })),
  http.post('/api/profiles', async ({ request }) => {
    const parsed = profileCreateSchema.safeParse(await request.json());
    if (!parsed.success) return invalid(zodFields(parsed.error.issues));
    const now = new Date().toISOString();
    const profile: Profile = {
      id: fakeDb.newId(),
      ...parsed.data,
      userCount: 0,
      seatsInUse: 0,
      channelsInUse: 0,
      createdAt: now,
      updatedAt: now,
    };
    fakeDb.state.profiles.push(profile);
    return HttpResponse.json<Profile>(profile, { status: 201 });
  }),
  http.get<IdParams>('/api/profiles/:id', ({ params }) => {
    const profile = find(params.id);
    return profile ? HttpResponse.json<Profile>(profile) : notFound(`Profile ${params.id}`);
  }),
  http.patch<IdParams>('/api/profiles/:id', async ({ params, request }) => {
    const profile = find(params.id);
    if (!profile) return notFound(`Profile ${params.id}`);
    const parsed = profileUpdateSchema.safeParse(await request.json());
    if (!parsed.success) return invalid(zodFields(parsed.error.issues));
    const change = Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined));
    Object.assign(profile, change, { updatedAt: new Date().toISOString() });
    for (const user of fakeDb.state.users) if (user.profileId === profile.id) user.profileName = profile.name;
    return HttpResponse.json<Profile>(profile);
  }),
  http.get<IdParams>('/api/profiles/:id/deletion-impact', ({ params }) => {
    const profile = find(params.id);
    if (!profile) return notFound(`Profile ${params.id}`);
    return HttpResponse.json<ProfileDeletionImpact>({
      userCount: profile.userCount,
      callRecordCount: profileCalls(profile.name).length,
      exportUrl: `/api/calls/export.csv?profileId=${profile.id}`,
      credit: formatMinorUnits(fakeCredit.state.creditByProfile.get(profile.id) ?? 0, 2),
      currency: fakeCredit.state.currency,
      numbers: profileNumbers(profile.id),
    });
  }),
  http.delete<IdParams>('/api/profiles/:id', ({ params }) => {
    const profile = find(params.id);
    if (!profile) return notFound(`Profile ${params.id}`);
    const calls = profileCalls(profile.name);
    const numbersReturned = profileNumbers(profile.id);
    const credit = fakeCredit.state.creditByProfile.get(profile.id) ?? 0;
    fakeCredit.state.creditByProfile.delete(profile.id);
    fakeCredit.state.balanceMinor += credit;
    const state = fakeDb.state;
    for (const number of state.numbers)
      if (number.profile?.id === profile.id) Object.assign(number, { profile: null, assignment: null });
    state.profiles = state.profiles.filter((candidate) => candidate !== profile);
    state.calls = state.calls.filter((call) => !calls.includes(call));
    for (const user of state.users)
      if (user.profileId === profile.id) Object.assign(user, { profileId: null, profileName: null });
    return HttpResponse.json<ProfileDeleted>({
      usersUnassigned: profile.userCount,
      callRecordsDeleted: calls.length,
      creditReturned: formatMinorUnits(credit, 2),
      currency: fakeCredit.state.currency,
      numbersReturned,
    });
  }),
];
