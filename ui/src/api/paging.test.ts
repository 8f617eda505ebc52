import { describe, expect, it } from 'vitest';
import { appendPage, EMPTY_PAGE, replaceItem, withQuery, type PagedList } from './paging';

type Row = { id: string; n: number };
const key = (r: Row) => r.id;

describe('paging', () => {
  it('builds query strings without empty values', () => {
    expect(withQuery('/api/v1/audit', { actor: 'a@b.c', type: '', cursor: null, limit: 50 }))
      .toBe('/api/v1/audit?actor=a%40b.c&limit=50');
    expect(withQuery('/api/v1/members', {})).toBe('/api/v1/members');
    expect(withQuery('/x?a=1', { b: 2 })).toBe('/x?a=1&b=2');
  });

  it('appends pages and keeps the next cursor', () => {
    const first = appendPage(EMPTY_PAGE as PagedList<Row>, { items: [{ id: 'a', n: 1 }], next: 'a' }, key);
    expect(first).toEqual({ items: [{ id: 'a', n: 1 }], next: 'a' });
    const second = appendPage(first, { items: [{ id: 'b', n: 2 }], next: null }, key);
    expect(second).toEqual({ items: [{ id: 'a', n: 1 }, { id: 'b', n: 2 }], next: null });
  });

  it('drops rows already shown and stops on a cursor that does not move', () => {
    const shown = { items: [{ id: 'a', n: 1 }, { id: 'b', n: 2 }], next: 'b' };
    expect(appendPage(shown, { items: [{ id: 'b', n: 9 }, { id: 'c', n: 3 }], next: 'b' }, key))
      .toEqual({ items: [{ id: 'a', n: 1 }, { id: 'b', n: 2 }, { id: 'c', n: 3 }], next: null });
  });

  it('replaces or removes one row', () => {
    const shown = { items: [{ id: 'a', n: 1 }, { id: 'b', n: 2 }], next: 'x' };
    expect(replaceItem(shown, 'b', key, { id: 'b', n: 5 }).items).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 5 }]);
    expect(replaceItem(shown, 'a', key, null)).toEqual({ items: [{ id: 'b', n: 2 }], next: 'x' });
  });
});
