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
});
