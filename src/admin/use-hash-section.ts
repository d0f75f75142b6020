import { useSyncExternalStore } from 'react';

const PREFIX = '#/';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function readSection(): string {
  const { hash } = window.location;
  return hash.startsWith(PREFIX) ? decodeURIComponent(hash.slice(PREFIX.length)) : '';
}

/** The console section named in the address (`#/users`), so reload and back/forward keep it. */
export function useHashSection(): string {
  return useSyncExternalStore(subscribe, readSection, () => '');
}

export function sectionHref(id: string): string {
  return `${PREFIX}${encodeURIComponent(id)}`;
}
