import { http, HttpResponse } from 'msw';
import type { CallList, CallRecord } from '../../../contracts/calls';
import { fakeDb } from '../fake-db';
import { pageOf } from './api-errors';

function matches(call: CallRecord, url: URL): boolean {
  const params = url.searchParams;
  const userId = params.get('userId');
  const profileId = params.get('profileId');
  const disposition = params.get('disposition');
  const from = params.get('from');
  const to = params.get('to');
  if (userId && String(call.fromUserId) !== userId && String(call.toUserId) !== userId) return false;
  if (profileId) {
    const name = fakeDb.state.profiles.find((profile) => String(profile.id) === profileId)?.name;
    if (call.callerProfile !== name && call.calleeProfile !== name) return false;
  }
  if (disposition && call.disposition !== disposition) return false;
  if (from && Date.parse(call.startedAt) < Date.parse(from)) return false;
  if (to && Date.parse(call.startedAt) >= Date.parse(to)) return false;
  return true;
}

export const callHandlers = [
  http.get('/api/calls', ({ request }) => {
    const url = new URL(request.url);
    const found = fakeDb.state.calls
      .filter((call) => matches(call, url))
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    return HttpResponse.json<CallList>(pageOf(found, url));
  }),
];
