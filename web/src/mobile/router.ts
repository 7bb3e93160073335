import { useSyncExternalStore } from 'react';

/**
 * The mobile pages' router: a page is the first path segment under /m. A few lines instead of a
 * router library, which would cost the phone more bytes than all of these pages' own code.
 */
export const BASE = '/m';
const CHANGE = 'bulwark:navigate';

function subscribe(cb: () => void): () => void {
  window.addEventListener('popstate', cb);
  window.addEventListener(CHANGE, cb);
  return () => {
    window.removeEventListener('popstate', cb);
    window.removeEventListener(CHANGE, cb);
  };
}

/** The page's segment: '/m/trips/12' is 'trips'; '/m' and '/m/' are ''. */
export function currentSegment(): string {
  const rest = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : '';
  return rest.split('/').filter(Boolean)[0] ?? '';
}

export function useSegment(): string {
  return useSyncExternalStore(subscribe, currentSegment);
}

/** Go to /m/<path> without reloading. */
export function navigate(path: string, replace = false): void {
  const url = `${BASE}/${path.replace(/^\/+/, '')}`;
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(CHANGE));
}

/** What follows the page's segment: '/m/tasks/12' is '12'; '' when nothing does. */
export function currentRest(): string {
  const rest = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : '';
  return rest.split('/').filter(Boolean).slice(1).join('/');
}

/** The rest of the path, kept current through navigate() and the back button (a page's own detail view). */
export function useRest(): string {
  return useSyncExternalStore(subscribe, currentRest);
}
