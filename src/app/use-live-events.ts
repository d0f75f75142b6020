import { useEffect } from 'react';
import { useQueryClient, type Query } from '@tanstack/react-query';
import { liveEventSchema } from '../../contracts/events';
import type { LiveEvent } from '../../contracts/events';
import type { Me } from '../../contracts/users';
import { rootsForEntity } from '../lib/query-keys';
import { meQueryKey, signOutMutationKey } from './session-queries';

export const LIVE_EVENTS_URL = '/api/events';
const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 60_000;
/**
 * Changes come in bursts (a call's set-up publishes four or five within 100 ms): the stale queries
 * are refetched once the burst is over, at the latest this long after its first change. Refetching
 * at each change made every signed-in page hit the server during the very call set-up whose SIP
 * messages the same server relays (measured: +100 ms INVITE → established on loopback).
 */
export const REFETCH_QUIET_MS = 250;
export const REFETCH_MAX_WAIT_MS = 1_000;
/**
 * Lists refresh only through live events, the editing client's too (it does not invalidate on
 * its own). So that the person who saved sees the change at once rather than after the quiet
 * window, a mutation of this client that succeeds opens a short window in which the events it
 * caused are refetched after this much quiet (enough to take a multi-entity change together).
 */
export const OWN_CHANGE_QUIET_MS = 20;
/** How long after its answer an own change's events may still arrive (they race it on another connection). */
export const OWN_CHANGE_WINDOW_MS = 1_000;

function parseEvent(data: unknown): LiveEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const parsed = liveEventSchema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * While signed in, listens to the server's change events and marks the matching queries stale.
 * EventSource reconnects by itself; once it is open, the first time and after every reconnect,
 * everything is refreshed, since events may have been missed meanwhile. A stream the server
 * refuses (the session ended) makes the app check the session, which returns to sign-in on 401. Unmounting (signing out) closes the stream.
 */
export function useLiveEvents(me: Me): void {
  const queryClient = useQueryClient();
  const userId = me.user.id;
  const profileId = me.profile?.id ?? null;

  useEffect(() => {
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let retryDelay = FIRST_RETRY_MS;
    // Until the stream opens, changes go unheard: the first open refreshes as every reopen does.
    let interrupted = true;
    let refetchTimer: ReturnType<typeof setTimeout> | undefined;
    let burstStartedAt: number | null = null;
    let ownChangeUntil = 0;

    // A change heard while signing out, or after (signing out publishes one: the user's SIP
    // credentials end), would refetch with a session that is already gone.
    const signingOut = () =>
      queryClient.isMutating({ mutationKey: signOutMutationKey }) > 0 ||
      !queryClient.getQueryData(meQueryKey);

    function refetchStale() {
      burstStartedAt = null;
      if (signingOut()) return;
      const filters = { type: 'active', predicate: (query: Query) => query.state.isInvalidated } as const;
      // The own change's events have been heard: later ones wait for the quiet window again.
      if (queryClient.getQueryCache().findAll(filters).length > 0) ownChangeUntil = 0;
      void queryClient.refetchQueries(filters);
    }

    function refetchSoon() {
      const now = Date.now();
      burstStartedAt ??= now;
      clearTimeout(refetchTimer);
      const quiet = now < ownChangeUntil ? OWN_CHANGE_QUIET_MS : REFETCH_QUIET_MS;
      const wait = Math.min(quiet, Math.max(0, burstStartedAt + REFETCH_MAX_WAIT_MS - now));
      refetchTimer = setTimeout(refetchStale, wait);
    }

    // This client's own change: its events (heard already, or about to be) are refetched at once.
    const stopWatchingMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type !== 'updated' || event.action.type !== 'success') return;
      ownChangeUntil = Date.now() + OWN_CHANGE_WINDOW_MS;
      refetchSoon();
    });

    function handleChange(event: MessageEvent) {
      const change = parseEvent(event.data);
      if (!change || signingOut()) return;
      // Marked stale at once (a screen opened meanwhile fetches fresh data); refetched after the burst.
      for (const root of rootsForEntity[change.entity]) {
        void queryClient.invalidateQueries({ queryKey: [root], refetchType: 'none' });
      }
      refetchSoon();
      if (concernsMe(change, userId, profileId)) void queryClient.invalidateQueries({ queryKey: meQueryKey });
    }

    function connect() {
      const current = new EventSource(LIVE_EVENTS_URL, { withCredentials: true });
      source = current;
      current.addEventListener('change', handleChange);
      current.addEventListener('message', handleChange);
      current.addEventListener('open', () => {
        retryDelay = FIRST_RETRY_MS;
        // What was fetched before the stream was open may have changed before the server
        // subscribed it, unheard: a phone that registered in that gap stayed "Offline" for its
        // agent.
        if (!interrupted) return;
        interrupted = false;
        void queryClient.invalidateQueries();
      });
      current.addEventListener('error', () => {
        interrupted = true;
        // Network drops reconnect by themselves (CONNECTING). A refused stream is CLOSED for
        // good: check the session (a 401 there signs out) and try again later.
        if (current.readyState !== EventSource.CLOSED) return;
        current.close();
        void queryClient.invalidateQueries({ queryKey: meQueryKey });
        retryTimer = setTimeout(connect, retryDelay);
        retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MS);
      });
    }

    connect();
    return () => {
      clearTimeout(retryTimer);
      clearTimeout(refetchTimer);
      stopWatchingMutations();
      source?.close();
    };
  }, [queryClient, userId, profileId]);
}

function concernsMe(change: LiveEvent, userId: number, profileId: number | null): boolean {
  const sameId = (id: number | null) =>
    change.id === null || (id !== null && String(change.id) === String(id));
  if (change.entity === 'user') return sameId(userId);
  if (change.entity === 'profile') return profileId !== null && sameId(profileId);
  return false;
}
