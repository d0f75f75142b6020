import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { FakeEventSource } from './fake-event-source';
import { fakeCredit } from './fake-credit';
import { fakeDb } from './fake-db';
import { fakeDevices } from './fake-devices';
import { fakeSession } from './fake-session';
import { publishMutationEvents } from './mutation-events';
import { server } from './msw-server';

// Any console error or warning fails the test that caused it: the app must run quietly.
const consoleProblems: string[] = [];

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  publishMutationEvents(server);
});

beforeEach(() => {
  vi.stubGlobal('EventSource', FakeEventSource);
  for (const level of ['error', 'warn'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      consoleProblems.push(`console.${level}: ${args.map(String).join(' ')}`);
    });
  }
});

afterEach(() => {
  cleanup();
  server.resetHandlers();
  fakeSession.signOut();
  fakeDb.reset();
  fakeCredit.reset();
  fakeDevices.reset();
  FakeEventSource.reset();
  window.location.hash = '';
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  const problems = consoleProblems.splice(0);
  if (problems.length > 0) throw new Error(`The test wrote to the console:\n${problems.join('\n')}`);
});

afterAll(() => {
  server.close();
});
