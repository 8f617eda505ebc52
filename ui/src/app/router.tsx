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

export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
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
  | { screen: 'admin-blueprints' }
  | { screen: 'admin-blueprint-edit'; blueprintId: string | null }
  | { screen: 'admin-clusters' }
  | { screen: 'not-found' };

export function match(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [a, b, c] = parts;
  if (parts.length === 0 || (a === 'workspaces' && parts.length === 1)) return { screen: 'workspaces' };
  if (a === 'workspaces' && c === 'terminal' && parts.length === 3) return { screen: 'terminal', workspaceId: b };
  if (a === 'blueprints' && parts.length === 1) return { screen: 'blueprints' };
  if (a === 'admin' && b === 'blueprints' && parts.length === 2) return { screen: 'admin-blueprints' };
  if (a === 'admin' && b === 'blueprints' && parts.length === 3) {
    return { screen: 'admin-blueprint-edit', blueprintId: c === 'new' ? null : c };
  }
  if (a === 'admin' && b === 'clusters' && parts.length === 2) return { screen: 'admin-clusters' };
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
