import { createContext, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { isApiRequestError } from './api-client';
import { asSentence } from './sentence';
import { createToastStore } from './toast-store';
import type { Toast, ToastStore } from './toast-store';
import './close-button.css';
import './toast.css';

const SUCCESS_MS = 5_000;

const ToastContext = createContext<ToastStore | null>(null);

type ToastProviderProps = { children: ReactNode };

/** Holds the app's toasts and shows them in one live region, after the app's content. */
export function ToastProvider({ children }: ToastProviderProps) {
  const [store] = useState(createToastStore);
  return (
    <ToastContext.Provider value={store}>
      {children}
      <ToastRegion store={store} />
    </ToastContext.Provider>
  );
}

/** What went wrong, in the server's words when it answered. */
export function failureMessage(error: unknown): string {
  if (isApiRequestError(error) || error instanceof Error) return asSentence(error.message);
  return 'Something went wrong. Please try again.';
}

export type Toaster = {
  success(message: string): void;
  error(message: string): void;
  /** "Could not rename agents: A profile named night already exists." */
  failure(what: string, error: unknown): void;
};

export function useToaster(): Toaster {
  const store = useContext(ToastContext);
  if (!store) throw new Error('useToaster needs a ToastProvider above it (AppProviders gives one).');
  return useMemo(
    () => ({
      success: (message) => void store.getState().toastRaised('success', message),
      error: (message) => void store.getState().toastRaised('error', message),
      failure: (what, error) =>
        void store.getState().toastRaised('error', `${what}: ${failureMessage(error)}`),
    }),
    [store],
  );
}

function ToastRegion({ store }: { store: ToastStore }) {
  const toasts = useStore(store, (state) => state.toasts);
  const dismiss = useStore(store, (state) => state.toastDismissed);
  const errors = toasts.filter((toast) => toast.tone === 'error');
  const successes = toasts.filter((toast) => toast.tone === 'success');
  // The live containers are always there, so what is added to them is announced.
  return (
    <section className="toast-region" aria-label="Notifications">
      <ul className="toast-list" aria-live="assertive" aria-relevant="additions text">
        {errors.map((toast) => (
          <ToastItem key={toast.id} toast={toast} onDismiss={dismiss} />
        ))}
      </ul>
      <ul className="toast-list" aria-live="polite" aria-relevant="additions text">
        {successes.map((toast) => (
          <ToastItem key={toast.id} toast={toast} onDismiss={dismiss} />
        ))}
      </ul>
    </section>
  );
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  useEffect(() => {
    // Failures stay until dismissed: the person may need time to read them.
    if (toast.tone !== 'success') return;
    const timer = setTimeout(() => onDismiss(toast.id), SUCCESS_MS);
    return () => clearTimeout(timer);
  }, [toast, onDismiss]);
  return (
    <li className={`toast toast-${toast.tone}`}>
      <p className="toast-message">{toast.message}</p>
      <button
        type="button"
        className="toast-dismiss close-button"
        aria-label={`Dismiss: ${toast.message}`}
        onClick={() => onDismiss(toast.id)}
      >
        <span aria-hidden="true">×</span>
      </button>
    </li>
  );
}
