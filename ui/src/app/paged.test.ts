// @vitest-environment jsdom
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { replaceItem } from '../api/paging';
import type { ListResponse } from '../api/types';
import { usePaged } from './paged';

type Row = { id: string; status: string };

/** A page loader whose answers the test releases one at a time. */
function loader() {
  const pending: Array<(page: ListResponse<Row>) => void> = [];
  const load = () => new Promise<ListResponse<Row>>((resolve) => pending.push(resolve));
  return { load, answer: (status: string) => pending.shift()!({ items: [{ id: 'r1', status }], next: null }) };
}

describe('usePaged', () => {
  it('drops a reload asked for before a local update, so the update stays on screen', async () => {
    const server = loader();
    const { result } = renderHook(() => usePaged<Row>(server.load, (r) => r.id));
    await act(async () => server.answer('PUBLISHED'));
    await waitFor(() => expect(result.current.result.state).toBe('loaded'));

    act(() => result.current.reload()); // a poll is under way…
    act(() => result.current.update((list) => replaceItem(list, 'r1', (r) => r.id, { id: 'r1', status: 'UNPUBLISHING' })));
    await act(async () => server.answer('PUBLISHED')); // …and answers what it read before the action

    const shown = result.current.result;
    expect(shown.state === 'loaded' && shown.list.items[0].status).toBe('UNPUBLISHING');

    act(() => result.current.reload()); // the next poll shows the server's rows again
    await act(async () => server.answer('UNPUBLISHED'));
    const next = result.current.result;
    expect(next.state === 'loaded' && next.list.items[0].status).toBe('UNPUBLISHED');
  });

  it('reloads as many pages as are shown, so rows loaded with "more" stay and are refreshed', async () => {
    const asked: Array<string | null> = [];
    let status = 'PUBLISHING';
    const load = async (cursor: string | null): Promise<ListResponse<Row>> => {
      asked.push(cursor);
      return cursor === null
        ? { items: [{ id: 'r1', status: 'PENDING' }, { id: 'r2', status: 'PENDING' }], next: 'c2' }
        : { items: [{ id: 'r3', status }], next: null };
    };
    const { result } = renderHook(() => usePaged<Row>(load, (r) => r.id));
    await waitFor(() => expect(result.current.result.state).toBe('loaded'));
    act(() => result.current.loadMore());
    await waitFor(() => {
      const shown = result.current.result;
      expect(shown.state === 'loaded' && shown.list.items.length).toBe(3);
    });

    status = 'PUBLISHED';
    asked.length = 0;
    act(() => result.current.reload());
    await waitFor(() => {
      const shown = result.current.result;
      expect(shown.state === 'loaded' && shown.list.items.map((r) => r.status)).toEqual(['PENDING', 'PENDING', 'PUBLISHED']);
    });
    expect(asked).toEqual([null, 'c2']);
    const shown = result.current.result;
    expect(shown.state === 'loaded' && shown.list.next).toBeNull();
  });

  it('reloads only the first page when only the first page is shown', async () => {
    const asked: Array<string | null> = [];
    const load = async (cursor: string | null): Promise<ListResponse<Row>> => {
      asked.push(cursor);
      return { items: [{ id: cursor ?? 'r1', status: 'PENDING' }], next: cursor === null ? 'c2' : null };
    };
    const { result } = renderHook(() => usePaged<Row>(load, (r) => r.id));
    await waitFor(() => expect(result.current.result.state).toBe('loaded'));
    asked.length = 0;
    act(() => result.current.reload());
    await waitFor(() => expect(asked).toEqual([null]));
    const shown = result.current.result;
    expect(shown.state === 'loaded' && shown.list.next).toBe('c2');
  });
});
