/**
 * Client-side routes on the History API: a handful of screens do not need a routing library. The
 * portal answers index.html for these paths, so a reload or a shared link lands on the same screen.
 */
import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const CHANGE = 'rde:navigate';

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) {
    window.history.replaceState(null, '', path);
  } else {
    window.history.pushState(null, '', path);
  }
  window.dispatchEvent(new Event(CHANGE));
}

/** The current path and query (`/workspaces/ws-1?preview=8000`): some screens read their query. */
export function usePath(): string {
  const current = () => window.location.pathname + window.location.search;
  const [path, setPath] = useState(current);
  useEffect(() => {
    const update = () => setPath(current());
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return path;
}

export type Route =
  | { screen: 'workspaces' }
  | { screen: 'blueprints' }
  | { screen: 'terminal'; workspaceId: string }
  /** `preview`: the raw `?preview=` value, set when a preview sent the person back for a new ticket. */
  | { screen: 'workspace'; workspaceId: string; preview: string | null }
  | { screen: 'admin-blueprints' }
  | { screen: 'admin-blueprint-edit'; blueprintId: string | null }
  | { screen: 'admin-clusters' }
  | { screen: 'admin-topology' }
  | { screen: 'admin-members' }
  | { screen: 'admin-security'; tab: SecurityTab }
  | { screen: 'admin-audit' }
  | { screen: 'admin-publish' }
  | { screen: 'admin-settings' }
  /** A published app: trades a fresh ticket for it (its "sign in again" link lands here). */
  | { screen: 'published'; requestId: string }
  | { screen: 'not-found' };

export const SECURITY_TABS = ['sessions', 'firewall', 'blocked'] as const;
export type SecurityTab = (typeof SECURITY_TABS)[number];

/** `location`: a path, optionally with its query. */
export function match(location: string): Route {
  const url = new URL(location, 'http://ui.invalid');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [a, b, c] = parts;
  if (parts.length === 0 || (a === 'workspaces' && parts.length === 1)) return { screen: 'workspaces' };
  if (a === 'workspaces' && parts.length === 2) {
    return { screen: 'workspace', workspaceId: b, preview: url.searchParams.get('preview') };
  }
  if (a === 'workspaces' && c === 'terminal' && parts.length === 3) return { screen: 'terminal', workspaceId: b };
  if (a === 'blueprints' && parts.length === 1) return { screen: 'blueprints' };
  if (a === 'admin' && b === 'blueprints' && parts.length === 2) return { screen: 'admin-blueprints' };
  if (a === 'admin' && b === 'blueprints' && parts.length === 3) {
    return { screen: 'admin-blueprint-edit', blueprintId: c === 'new' ? null : c };
  }
  if (a === 'admin' && b === 'clusters' && parts.length === 2) return { screen: 'admin-clusters' };
  if (a === 'admin' && b === 'topology' && parts.length === 2) return { screen: 'admin-topology' };
  if (a === 'admin' && b === 'members' && parts.length === 2) return { screen: 'admin-members' };
  if (a === 'admin' && b === 'security' && parts.length === 2) return { screen: 'admin-security', tab: 'sessions' };
  if (a === 'admin' && b === 'security' && parts.length === 3 && (SECURITY_TABS as readonly string[]).includes(c)) {
    return { screen: 'admin-security', tab: c as SecurityTab };
  }
  if (a === 'admin' && b === 'audit' && parts.length === 2) return { screen: 'admin-audit' };
  if (a === 'admin' && b === 'publish' && parts.length === 2) return { screen: 'admin-publish' };
  if (a === 'admin' && b === 'settings' && parts.length === 2) return { screen: 'admin-settings' };
  if (a === 'published' && parts.length === 2) return { screen: 'published', requestId: b };
  return { screen: 'not-found' };
}

/** An ordinary link that navigates in place; modified clicks (new tab, …) keep their meaning. */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}
