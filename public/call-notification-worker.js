// Service worker for incoming-call notifications with Answer and Decline buttons (only a
// service worker's notifications may have buttons). It does nothing else: no caching, no fetch.
// A click is passed to the phone's tab as a message; Answer and a click on the body also bring
// that tab to the front.

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('notificationclick', (event) => {
  const notification = event.notification;
  notification.close();
  const callId = notification.data && notification.data.callId;
  if (typeof callId !== 'string') return;
  const action = event.action === 'answer' || event.action === 'decline' ? event.action : 'open';
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      for (const client of windows)
        client.postMessage({ type: 'switchboard-call-notification', action, callId });
      const tab = windows[0];
      if (action !== 'decline' && tab && 'focus' in tab) return tab.focus();
      return undefined;
    }),
  );
});
