import { useEffect, useState } from 'react';

/** The console's pages live under /console/; the server answers every such path with index.html. */
export const BASE = '/console';

export type Route =
  | { page: 'queue' }
  | { page: 'chat'; id: number }
  | { page: 'cases'; search: string }
  | { page: 'case'; number: string }
  | { page: 'newCase' }
  | { page: 'receipt'; number: string }
  | { page: 'settings' }
  | { page: 'districtSettings'; district: string }
  | { page: 'accounts' }
  | { page: 'audit'; search: string }
  | { page: 'language'; search: string }
  | { page: 'dataRequests' }
  | { page: 'faq' }
  | { page: 'categories' }
  | { page: 'petitions' }
  | { page: 'retention' }
  | { page: 'reports'; search: string }
  | { page: 'toPlace' }
  | { page: 'dataRequest'; id: number }
  | { page: 'flows' }
  | { page: 'flow'; id: string }
  | { page: 'flowEditor'; id: string; draft: number | null; version: number | null }
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
  if (parts[0] === 'cases' && parts.length === 2 && parts[1] === 'new') return { page: 'newCase' };
  if (parts[0] === 'cases' && parts.length === 2) return { page: 'case', number: decodeURIComponent(parts[1]!) };
  if (parts[0] === 'cases' && parts.length === 3 && parts[2] === 'receipt') return { page: 'receipt', number: decodeURIComponent(parts[1]!) };
  if (parts[0] === 'settings' && parts.length === 1) return { page: 'settings' };
  if (parts[0] === 'settings' && parts.length === 2 && /^\d{4}$/.test(parts[1]!)) return { page: 'districtSettings', district: parts[1]! };
  if (parts[0] === 'accounts' && parts.length === 1) return { page: 'accounts' };
  if (parts[0] === 'audit' && parts.length === 1) return { page: 'audit', search };
  if (parts[0] === 'language' && parts.length === 1) return { page: 'language', search };
  if (parts[0] === 'data-requests' && parts.length === 1) return { page: 'dataRequests' };
  if (parts[0] === 'faq' && parts.length === 1) return { page: 'faq' };
  if (parts[0] === 'categories' && parts.length === 1) return { page: 'categories' };
  if (parts[0] === 'petitions' && parts.length === 1) return { page: 'petitions' };
  if (parts[0] === 'retention' && parts.length === 1) return { page: 'retention' };
  if (parts[0] === 'reports' && parts.length === 1) return { page: 'reports', search };
  if (parts[0] === 'to-place' && parts.length === 1) return { page: 'toPlace' };
  if (parts[0] === 'data-requests' && parts.length === 2 && /^\d{1,12}$/.test(parts[1]!)) return { page: 'dataRequest', id: Number(parts[1]) };
  if (parts[0] === 'flows' && parts.length === 1) return { page: 'flows' };
  if (parts[0] === 'flows' && parts.length >= 2 && /^[a-z][a-z0-9_-]{0,63}$/.test(parts[1]!)) {
    const id = parts[1]!;
    if (parts.length === 2) return { page: 'flow', id };
    if (parts.length === 4 && /^\d{1,12}$/.test(parts[3]!) && (parts[2] === 'drafts' || parts[2] === 'versions')) {
      return { page: 'flowEditor', id, draft: parts[2] === 'drafts' ? Number(parts[3]) : null, version: parts[2] === 'versions' ? Number(parts[3]) : null };
    }
  }
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
