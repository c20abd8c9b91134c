import { useEffect, useState } from 'react';

/** The console's pages live under /console/; the server answers every such path with index.html. */
export const BASE = '/console';

export type Route =
  | { page: 'queue' }
  | { page: 'chat'; id: number }
  | { page: 'cases'; search: string }
  | { page: 'case'; number: string }
  | { page: 'settings' }
  | { page: 'districtSettings'; district: string }
  | { page: 'accounts' }
  | { page: 'audit'; search: string }
  | { page: 'language'; search: string }
  | { page: 'login' }
  | { page: 'notFound' };

/** Pure: a path and query to the page they name. */
export function routeOf(pathname: string, search: string): Route {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0 || (parts[0] === 'queue' && parts.length === 1)) return { page: 'queue' };
  if (parts[0] === 'login' && parts.length === 1) return { page: 'login' };
  if (parts[0] === 'chat' && parts.length === 2 && /^\d+$/.test(parts[1]!)) return { page: 'chat', id: Number(parts[1]) };
  if (parts[0] === 'cases' && parts.length === 1) return { page: 'cases', search };
  if (parts[0] === 'cases' && parts.length === 2) return { page: 'case', number: decodeURIComponent(parts[1]!) };
  if (parts[0] === 'settings' && parts.length === 1) return { page: 'settings' };
  if (parts[0] === 'settings' && parts.length === 2 && /^\d{4}$/.test(parts[1]!)) return { page: 'districtSettings', district: parts[1]! };
  if (parts[0] === 'accounts' && parts.length === 1) return { page: 'accounts' };
  if (parts[0] === 'audit' && parts.length === 1) return { page: 'audit', search };
  if (parts[0] === 'language' && parts.length === 1) return { page: 'language', search };
  return { page: 'notFound' };
}

export function navigate(to: string): void {
  history.pushState(null, '', BASE + to);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(location.pathname, location.search));
  useEffect(() => {
    const update = () => setRoute(routeOf(location.pathname, location.search));
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return route;
}
