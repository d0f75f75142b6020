import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CALL_NOTIFICATION_WORKER, CallNotifications } from './call-notifications';
import type { CallInfo } from './sip/call-info';
import { CallState } from './sip/phone-state';

// Incoming-call notifications of a background tab: Answer and Decline through the service
// worker, a plain notification where there is none, and the worker script's own click handler.

const incoming: CallInfo = {
  id: 'call-7',
  direction: 'incoming',
  state: CallState.Incoming,
  peerName: 'Agent Two',
  peerNumber: '1002',
  held: false,
  muted: false,
  startedAt: Date.now(),
  answeredAt: null,
  endReason: null,
  transferring: false,
  replacesCallId: null,
};

type Shown = {
  title: string;
  options: NotificationOptions & { actions?: { action: string; title: string }[] };
};

class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static made: FakeNotification[] = [];
  onclick: (() => void) | null = null;
  closed = false;
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.made.push(this);
  }
  close() {
    this.closed = true;
  }
}

function fakeServiceWorker() {
  const shown: Shown[] = [];
  const closed: string[] = [];
  const messages = new EventTarget();
  const registration = {
    showNotification: vi.fn(async (title: string, options: Shown['options']) => {
      shown.push({ title, options });
    }),
    getNotifications: vi.fn(async ({ tag }: { tag: string }) =>
      shown.filter((entry) => entry.options.tag === tag).map(() => ({ close: () => closed.push(tag) })),
    ),
  };
  const container = {
    register: vi.fn(async () => registration),
    ready: Promise.resolve(registration),
    addEventListener: messages.addEventListener.bind(messages),
    removeEventListener: messages.removeEventListener.bind(messages),
  };
  const post = (data: unknown) => messages.dispatchEvent(new MessageEvent('message', { data }));
  return { container, registration, shown, closed, post };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  FakeNotification.permission = 'granted';
  FakeNotification.made = [];
  vi.stubGlobal('Notification', FakeNotification);
  vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  delete (navigator as { serviceWorker?: unknown }).serviceWorker;
});

/** jsdom has no service workers: give the navigator one (or none). */
function setServiceWorker(container: unknown): void {
  Object.defineProperty(navigator, 'serviceWorker', { configurable: true, value: container });
}

function withWorker() {
  const worker = fakeServiceWorker();
  setServiceWorker(worker.container);
  const handlers = { answer: vi.fn(), decline: vi.fn() };
  return { worker, handlers, notifications: new CallNotifications(handlers) };
}

describe('incoming-call notifications', () => {
  it('shows Answer and Decline in a background tab; Answer answers that call', async () => {
    const { worker, handlers, notifications } = withWorker();
    await notifications.show(incoming);
    expect(worker.container.register).toHaveBeenCalledWith(CALL_NOTIFICATION_WORKER);
    expect(worker.shown).toEqual([
      {
        title: 'Incoming call',
        options: expect.objectContaining({
          body: 'Agent Two (1002)',
          tag: 'call-7',
          requireInteraction: true,
          data: { callId: 'call-7' },
          actions: [
            { action: 'answer', title: 'Answer' },
            { action: 'decline', title: 'Decline' },
          ],
        }),
      },
    ]);
    worker.post({ type: 'switchboard-call-notification', action: 'answer', callId: 'call-7' });
    expect(handlers.answer).toHaveBeenCalledWith('call-7');
    expect(handlers.decline).not.toHaveBeenCalled();
  });

  it('Decline declines; a second click, or one for a call it never announced, does nothing', async () => {
    const { worker, handlers, notifications } = withWorker();
    await notifications.show(incoming);
    worker.post({ type: 'switchboard-call-notification', action: 'decline', callId: 'call-7' });
    worker.post({ type: 'switchboard-call-notification', action: 'decline', callId: 'call-7' });
    worker.post({ type: 'switchboard-call-notification', action: 'answer', callId: 'call-8' });
    worker.post({ type: 'something-else', action: 'answer', callId: 'call-7' });
    expect(handlers.decline).toHaveBeenCalledTimes(1);
    expect(handlers.answer).not.toHaveBeenCalled();
  });

  it('closes the notification when the call is answered elsewhere or ends', async () => {
    const { worker, notifications } = withWorker();
    await notifications.show(incoming);
    notifications.close('call-7');
    await settle();
    expect(worker.closed).toEqual(['call-7']);
  });

  it('shows nothing while the tab is visible or without permission', async () => {
    const { worker, notifications } = withWorker();
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('visible');
    await notifications.show(incoming);
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    FakeNotification.permission = 'denied';
    await notifications.show(incoming);
    expect(worker.shown).toEqual([]);
    expect(FakeNotification.made).toEqual([]);
  });

  it('without a service worker, a plain notification whose click brings the tab to the front', async () => {
    setServiceWorker(undefined);
    const focus = vi.spyOn(window, 'focus').mockImplementation(() => undefined);
    const notifications = new CallNotifications({ answer: vi.fn(), decline: vi.fn() });
    await notifications.show(incoming);
    const [plain] = FakeNotification.made;
    expect(plain?.options).toMatchObject({ body: 'Agent Two (1002)', tag: 'call-7' });
    plain?.onclick?.();
    expect(focus).toHaveBeenCalled();
    expect(plain?.closed).toBe(true);
  });
});

describe('the notification worker', () => {
  /** Runs the worker script against a fake service-worker global; returns its click handler. */
  function loadWorker() {
    const listeners = new Map<string, (event: unknown) => void>();
    const tab = { postMessage: vi.fn(), focus: vi.fn(async () => undefined) };
    const self = {
      addEventListener: (type: string, listener: (event: unknown) => void) => listeners.set(type, listener),
      clients: { matchAll: vi.fn(async () => [tab]), claim: vi.fn() },
      skipWaiting: vi.fn(),
    };
    const source = readFileSync(path.join(process.cwd(), 'public', 'call-notification-worker.js'), 'utf8');
    new Function('self', source)(self);
    const click = async (action: string) => {
      const close = vi.fn();
      let done: Promise<unknown> = Promise.resolve();
      listeners.get('notificationclick')?.({
        action,
        notification: { data: { callId: 'call-7' }, close },
        waitUntil: (promise: Promise<unknown>) => {
          done = promise;
        },
      });
      await done;
      return close;
    };
    return { tab, click };
  }

  it('passes Answer to the tab and brings it to the front', async () => {
    const { tab, click } = loadWorker();
    const close = await click('answer');
    expect(close).toHaveBeenCalled();
    expect(tab.postMessage).toHaveBeenCalledWith({
      type: 'switchboard-call-notification',
      action: 'answer',
      callId: 'call-7',
    });
    expect(tab.focus).toHaveBeenCalled();
  });

  it('passes Decline without taking the person away from what they do', async () => {
    const { tab, click } = loadWorker();
    await click('decline');
    expect(tab.postMessage).toHaveBeenCalledWith(expect.objectContaining({ action: 'decline' }));
    expect(tab.focus).not.toHaveBeenCalled();
  });

  it('a click on the notification itself opens the tab without answering', async () => {
    const { tab, click } = loadWorker();
    await click('');
    expect(tab.postMessage).toHaveBeenCalledWith(expect.objectContaining({ action: 'open' }));
    expect(tab.focus).toHaveBeenCalled();
  });
});
