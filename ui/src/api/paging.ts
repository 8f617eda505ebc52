/** Cursor paging as the portal's lists answer it (`{items, next}`), and query strings for it. */
import type { ListResponse } from './types';

export type QueryValue = string | number | boolean | null | undefined;

/** `withQuery('/api/v1/audit', {actor: 'a@b', cursor: null})` → `/api/v1/audit?actor=a%40b`: empty values left out. */
export function withQuery(path: string, params: Record<string, QueryValue>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

export interface PagedList<T> {
  items: T[];
  /** The cursor of the page after the last one shown; null at the end. */
  next: string | null;
}

export const EMPTY_PAGE: PagedList<never> = { items: [], next: null };

/**
 * Adds a page after those shown. An item already shown (a list that moved while paging, such as a
 * member re-invited between pages) stays where it was, so keys stay unique.
 */
export function appendPage<T>(shown: PagedList<T>, page: ListResponse<T>, keyOf: (item: T) => string): PagedList<T> {
  const seen = new Set(shown.items.map(keyOf));
  const fresh = page.items.filter((item) => !seen.has(keyOf(item)));
  // A cursor that comes back unchanged would page forever.
  const next = page.next !== null && page.next !== shown.next ? page.next : null;
  return { items: [...shown.items, ...fresh], next };
}

/** Replaces one item (matched by key) in place, or drops it when `replacement` is null. */
export function replaceItem<T>(shown: PagedList<T>, key: string, keyOf: (item: T) => string, replacement: T | null): PagedList<T> {
  const items = replacement === null
    ? shown.items.filter((item) => keyOf(item) !== key)
    : shown.items.map((item) => (keyOf(item) === key ? replacement : item));
  return { ...shown, items };
}

const identities = new WeakMap<object, string>();
let identity = 0;

/** A key for rows that have no id of their own (two identical rows stay two rows). */
export function identityKey(row: object): string {
  let key = identities.get(row);
  if (key === undefined) {
    key = `row-${++identity}`;
    identities.set(row, key);
  }
  return key;
}
