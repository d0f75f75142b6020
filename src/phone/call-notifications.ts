import type { CallInfo } from './sip/call-info';

/** The service worker whose notifications carry Answer and Decline (see public/). */
export const CALL_NOTIFICATION_WORKER = '/call-notification-worker.js';
const MESSAGE_TYPE = 'switchboard-call-notification';

export type CallNotificationHandlers = {
  answer(callId: string): void;
  decline(callId: string): void;
};

type ActionMessage = { type: typeof MESSAGE_TYPE; action: 'answer' | 'decline' | 'open'; callId: string };

function isActionMessage(data: unknown): data is ActionMessage {
  if (typeof data !== 'object' || data === null) return false;
  const message = data as Partial<ActionMessage>;
  return (
    message.type === MESSAGE_TYPE &&
    typeof message.callId === 'string' &&
    (message.action === 'answer' || message.action === 'decline' || message.action === 'open')
  );
}

function granted(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

/**
 * Desktop notifications of incoming calls while the phone's tab is in the background. With a
 * service worker they carry Answer and Decline; without one (or before it is ready) a plain
 * notification whose click brings the tab, with its Answer and Decline, to the front.
 */
export class CallNotifications {
  private readonly handlers: CallNotificationHandlers;
  private worker: Promise<ServiceWorkerRegistration | null> | null = null;
  private readonly plain = new Map<string, Notification>();
  private readonly shown = new Set<string>();
  private readonly stopListening: () => void;

  constructor(handlers: CallNotificationHandlers) {
    this.handlers = handlers;
    const container = typeof navigator === 'undefined' ? undefined : navigator.serviceWorker;
    const onMessage = (event: MessageEvent) => this.onMessage(event.data);
    container?.addEventListener('message', onMessage);
    this.stopListening = () => container?.removeEventListener('message', onMessage);
    if (granted()) this.registration();
  }

  private registration(): Promise<ServiceWorkerRegistration | null> {
    this.worker ??= (async () => {
      const container = navigator.serviceWorker as ServiceWorkerContainer | undefined;
      if (!container) return null;
      try {
        await container.register(CALL_NOTIFICATION_WORKER);
        return await container.ready;
      } catch {
        return null;
      }
    })();
    return this.worker;
  }

  private onMessage(data: unknown): void {
    if (!isActionMessage(data) || !this.shown.has(data.callId)) return;
    this.close(data.callId);
    if (data.action === 'answer') this.handlers.answer(data.callId);
    else if (data.action === 'decline') this.handlers.decline(data.callId);
  }

  /** Announces the call if the tab is hidden and the person allowed notifications. */
  async show(call: CallInfo): Promise<void> {
    if (!granted() || document.visibilityState !== 'hidden') return;
    const title = 'Incoming call';
    const body = call.peerName ? `${call.peerName} (${call.peerNumber})` : call.peerNumber;
    this.shown.add(call.id);
    const registration = await this.registration();
    if (!this.shown.has(call.id)) return;
    if (registration) {
      try {
        await registration.showNotification(title, {
          body,
          tag: call.id,
          requireInteraction: true,
          data: { callId: call.id },
          actions: [
            { action: 'answer', title: 'Answer' },
            { action: 'decline', title: 'Decline' },
          ],
        } as NotificationOptions);
        return;
      } catch {
        // Fall through to a plain notification.
      }
    }
    const notification = new Notification(title, { body, tag: call.id, requireInteraction: true });
    notification.onclick = () => {
      window.focus();
      notification.close();
    };
    this.plain.set(call.id, notification);
  }

  close(callId: string): void {
    if (!this.shown.delete(callId)) return;
    this.plain.get(callId)?.close();
    this.plain.delete(callId);
    void this.worker?.then(async (registration) => {
      for (const notification of (await registration?.getNotifications({ tag: callId })) ?? [])
        notification.close();
    });
  }

  closeAll(): void {
    for (const callId of [...this.shown]) this.close(callId);
  }

  dispose(): void {
    this.closeAll();
    this.stopListening();
  }
}
