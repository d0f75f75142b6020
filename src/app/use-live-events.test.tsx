import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { QueryObserver } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { FakeEventSource } from '../testing/fake-event-source';
import { fakeSession } from '../testing/fake-session';
import { renderWithProviders } from '../testing/render';
import { App } from './app';
import { signOutMutationKey } from './session-queries';
import { OWN_CHANGE_WINDOW_MS, REFETCH_QUIET_MS } from './use-live-events';

async function signedInShell() {
  fakeSession.signIn('supervisor');
  const rendered = renderWithProviders(<App />);
  await screen.findByRole('banner');
  const [source] = FakeEventSource.open();
  if (!source) throw new Error('No event stream was opened.');
  source.connect();
  return { ...rendered, source };
}

function seed(queryClient: QueryClient, ...keys: unknown[][]) {
  for (const key of keys) queryClient.setQueryData(key, { seeded: true });
}

function isStale(queryClient: QueryClient, key: unknown[]): boolean {
  return queryClient.getQueryState(key)?.isInvalidated ?? false;
}

describe('useLiveEvents', () => {
  it('opens one stream to /api/events with the session cookie while signed in', async () => {
    const { source } = await signedInShell();
    expect(FakeEventSource.open()).toHaveLength(1);
    expect(source.url).toBe('/api/events');
    expect(source.withCredentials).toBe(true);
  });

  it('marks the queries of the changed entity stale, and only those', async () => {
    const { source, queryClient } = await signedInShell();
    seed(queryClient, ['profiles'], ['profiles', 'detail', 1], ['calls'], ['audit']);

    source.emit('change', { entity: 'profile', id: 1 });

    expect(isStale(queryClient, ['profiles'])).toBe(true);
    expect(isStale(queryClient, ['profiles', 'detail', 1])).toBe(true);
    expect(isStale(queryClient, ['calls'])).toBe(false);
    expect(isStale(queryClient, ['audit'])).toBe(false);
  });

  it('refetches what a burst of changes made stale once, after the burst (not at each change)', async () => {
    const { source, queryClient } = await signedInShell();
    let fetches = 0;
    const observer = new QueryObserver(queryClient, {
      queryKey: ['calls', 'probe'],
      queryFn: () => ++fetches,
      staleTime: Infinity,
    });
    const stop = observer.subscribe(() => undefined);
    await waitFor(() => expect(fetches).toBe(1));

    // A call's set-up: the record is written, the dialog rings, is answered, the record too.
    for (let id = 0; id < 5; id += 1) source.emit('change', { entity: 'call', id });
    expect(isStale(queryClient, ['calls', 'probe'])).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, REFETCH_QUIET_MS / 2));
    expect(fetches).toBe(1);
    await waitFor(() => expect(fetches).toBe(2));
    await new Promise((resolve) => setTimeout(resolve, REFETCH_QUIET_MS * 2));
    expect(fetches).toBe(2);
    stop();
  });

  it("refetches the editing client's own change without waiting for the quiet window", async () => {
    const { source, queryClient } = await signedInShell();
    let fetches = 0;
    const observer = new QueryObserver(queryClient, {
      queryKey: ['profiles', 'probe'],
      queryFn: () => ++fetches,
      staleTime: Infinity,
    });
    const stop = observer.subscribe(() => undefined);
    await waitFor(() => expect(fetches).toBe(1));
    const save = () =>
      queryClient
        .getMutationCache()
        .build(queryClient, { mutationFn: () => Promise.resolve() })
        .execute(undefined);

    // The change's event arrives before its answer: the answer cuts the wait short.
    source.emit('change', { entity: 'profile', id: 1 });
    await save();
    await waitFor(() => expect(fetches).toBe(2), { timeout: REFETCH_QUIET_MS / 2 });

    // The answer arrives first: the event that follows is refetched at once.
    await save();
    source.emit('change', { entity: 'profile', id: 1 });
    await waitFor(() => expect(fetches).toBe(3), { timeout: REFETCH_QUIET_MS / 2 });

    // Nobody here saved: other people's changes wait for the quiet window again.
    await new Promise((resolve) => setTimeout(resolve, OWN_CHANGE_WINDOW_MS));
    source.emit('change', { entity: 'profile', id: 1 });
    await new Promise((resolve) => setTimeout(resolve, REFETCH_QUIET_MS / 2));
    expect(fetches).toBe(3);
    await waitFor(() => expect(fetches).toBe(4));
    stop();
  });

  it('refreshes nothing while signing out: the ending session could not read it', async () => {
    const { source, queryClient } = await signedInShell();
    seed(queryClient, ['profiles'], ['groups']);
    let finish: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (finish = resolve));
    const signingOut = queryClient
      .getMutationCache()
      .build(queryClient, { mutationKey: signOutMutationKey, mutationFn: () => answered })
      .execute(undefined);
    await waitFor(() => expect(queryClient.isMutating({ mutationKey: signOutMutationKey })).toBe(1));
    source.emit('change', { entity: 'profile', id: 1 });
    source.emit('change', { entity: 'group', id: 1 });
    expect(isStale(queryClient, ['profiles'])).toBe(false);
    expect(isStale(queryClient, ['groups'])).toBe(false);
    finish();
    await signingOut;
    source.emit('change', { entity: 'group', id: 1 });
    expect(isStale(queryClient, ['groups'])).toBe(true);
  });

  it('ignores events that do not match the contract', async () => {
    const { source, queryClient } = await signedInShell();
    seed(queryClient, ['profiles']);
    source.emit('change', 'not json');
    source.emit('change', { entity: 'weather', id: 1 });
    expect(isStale(queryClient, ['profiles'])).toBe(false);
  });

  it('refreshes the signed-in user when their own user record changes', async () => {
    const { source, queryClient } = await signedInShell();
    // The open's own refresh first (see the next test).
    await waitFor(() => expect(queryClient.getQueryState(['me'])?.isInvalidated).toBe(false));
    const before = queryClient.getQueryState(['me'])?.dataUpdateCount ?? 0;
    source.emit('change', { entity: 'user', id: 99 });
    expect(isStale(queryClient, ['me'])).toBe(false);
    source.emit('change', { entity: 'user', id: 5 });
    await waitFor(() => expect(queryClient.getQueryState(['me'])?.dataUpdateCount).toBe(before + 1));
  });

  it('refreshes what was fetched before the stream first opened: a change in that gap was not heard', async () => {
    fakeSession.signIn('supervisor');
    const { queryClient } = renderWithProviders(<App />);
    await screen.findByRole('banner');
    const [source] = FakeEventSource.open();
    if (!source) throw new Error('No event stream was opened.');
    seed(queryClient, ['calls'], ['groups']);
    source.connect();
    expect(isStale(queryClient, ['calls'])).toBe(true);
    expect(isStale(queryClient, ['groups'])).toBe(true);
    // Once open, only what changes is refreshed.
    seed(queryClient, ['calls'], ['groups']);
    source.emit('change', { entity: 'group', id: 1 });
    expect(isStale(queryClient, ['calls'])).toBe(false);
    expect(isStale(queryClient, ['groups'])).toBe(true);
  });

  it('refreshes everything after the stream reconnects, since events may have been missed', async () => {
    const { source, queryClient } = await signedInShell();
    seed(queryClient, ['calls'], ['groups']);
    source.fail({ closed: false });
    expect(isStale(queryClient, ['calls'])).toBe(false);
    source.connect();
    expect(isStale(queryClient, ['calls'])).toBe(true);
    expect(isStale(queryClient, ['groups'])).toBe(true);
  });

  it('returns to sign-in when the server refuses the stream because the session ended', async () => {
    const { source } = await signedInShell();
    fakeSession.signOut();
    source.fail({ closed: true });
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(FakeEventSource.open()).toHaveLength(0);
  });
});
