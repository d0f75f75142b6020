import { useCallback } from 'react';

const ASKED_KEY = 'switchboard.notifications-asked';

/**
 * Asks once (ever, per browser) for permission to show desktop notifications, at the first
 * interaction with the phone, so incoming calls can be announced while the tab is in the
 * background. Returns the handler to put on the phone panel.
 */
export function useNotificationPermissionOnce(): () => void {
  return useCallback(() => {
    if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
    try {
      if (localStorage.getItem(ASKED_KEY)) return;
      localStorage.setItem(ASKED_KEY, new Date().toISOString());
    } catch {
      return;
    }
    void Notification.requestPermission().catch(() => undefined);
  }, []);
}
