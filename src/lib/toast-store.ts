import { createStore } from 'zustand/vanilla';

export type ToastTone = 'error' | 'success';

export type Toast = { id: number; tone: ToastTone; message: string };

export type ToastState = {
  toasts: readonly Toast[];
  nextId: number;
  /** A message for the person; returns its id. */
  toastRaised(tone: ToastTone, message: string): number;
  toastDismissed(id: number): void;
};

/** At most this many toasts show at once; older ones give way. */
export const MAX_TOASTS = 4;

/** One store per app instance (and per test), given through `ToastProvider`. */
export function createToastStore() {
  return createStore<ToastState>()((set, get) => ({
    toasts: [],
    nextId: 1,
    toastRaised(tone, message) {
      const id = get().nextId;
      set((state) => ({
        nextId: id + 1,
        toasts: [...state.toasts.filter((toast) => toast.message !== message), { id, tone, message }].slice(
          -MAX_TOASTS,
        ),
      }));
      return id;
    },
    toastDismissed(id) {
      set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) }));
    },
  }));
}

export type ToastStore = ReturnType<typeof createToastStore>;
