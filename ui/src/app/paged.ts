import { useCallback, useEffect, useRef, useState } from 'react';
import { appendPage, EMPTY_PAGE, type PagedList } from '../api/paging';
import type { ListResponse } from '../api/types';

export type PagedState<T> =
  | { state: 'loading' }
  | { state: 'failed'; message: string; status?: number }
  | { state: 'loaded'; list: PagedList<T>; loadingMore: boolean; moreError: string | null };

/** Pages a reload reads at most to cover the rows on screen. */
const MAX_RELOAD_PAGES = 20;

/**
 * A cursor-paged list: the first page on mount (and whenever `key` changes), the next ones on
 * loadMore(). A reload() (a refresh or a poll) reads as many pages as cover the rows on screen, so
 * rows loaded with "more" stay and are refreshed too, instead of the list falling back to its
 * first page. Answers to a superseded load are dropped, and so is a reload asked for before a
 * local update(): it would put back the row as it was (a poll under way when an action's answer
 * arrived undid it on screen); the next reload shows the server's rows again.
 */
export function usePaged<T>(
  loadPage: (cursor: string | null, signal: AbortSignal) => Promise<ListResponse<T>>,
  keyOf: (item: T) => string,
  key: unknown[] = [],
) {
  const [result, setResult] = useState<PagedState<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(loadPage);
  loadRef.current = loadPage;
  const keyRef = useRef(keyOf);
  keyRef.current = keyOf;
  const controller = useRef<AbortController | null>(null);
  // A reload (refresh) keeps the rows on screen until the new ones arrive; new filters do not.
  const soft = useRef(false);
  // Local updates so far: a reload asked for before the latest one is older than the screen.
  const edits = useRef(0);
  const latest = useRef(result);
  latest.current = result;

  useEffect(() => {
    const current = new AbortController();
    controller.current?.abort();
    controller.current = current;
    const keep = soft.current;
    soft.current = false;
    const editsBefore = edits.current;
    const shown = latest.current;
    const wanted = keep && shown.state === 'loaded' ? shown.list.items.length : 0;
    setResult((previous) => (previous.state === 'loaded' && keep ? previous : { state: 'loading' }));
    const pages = async () => {
      let list = appendPage(EMPTY_PAGE as PagedList<T>, await loadRef.current(null, current.signal), keyRef.current);
      for (let read = 1; list.items.length < wanted && list.next !== null && read < MAX_RELOAD_PAGES; read++) {
        list = appendPage(list, await loadRef.current(list.next, current.signal), keyRef.current);
      }
      return list;
    };
    pages().then(
      (list) => !current.signal.aborted && (editsBefore === edits.current || !keep) && setResult({
        state: 'loaded', list, loadingMore: false, moreError: null,
      }),
      (error: Error) => !current.signal.aborted && error.name !== 'AbortError' &&
        setResult({ state: 'failed', message: error.message, status: (error as { status?: number }).status }),
    );
    return () => current.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [generation, ...key]);

  const loadMore = useCallback(() => {
    if (result.state !== 'loaded' || result.loadingMore || result.list.next === null) return;
    const current = controller.current;
    if (!current) return;
    const shown = result.list;
    setResult({ ...result, loadingMore: true, moreError: null });
    loadRef.current(shown.next, current.signal).then(
      (page) => !current.signal.aborted && setResult({
        state: 'loaded', list: appendPage(shown, page, keyRef.current), loadingMore: false, moreError: null,
      }),
      (error: Error) => !current.signal.aborted && error.name !== 'AbortError' &&
        setResult({ state: 'loaded', list: shown, loadingMore: false, moreError: error.message }),
    );
  }, [result]);

  const reload = useCallback(() => {
    soft.current = true;
    setGeneration((g) => g + 1);
  }, []);

  /** Local edits (a saved or removed row) without a round trip. */
  const update = useCallback((change: (list: PagedList<T>) => PagedList<T>) => {
    edits.current += 1;
    setResult((previous) => (previous.state === 'loaded' ? { ...previous, list: change(previous.list) } : previous));
  }, []);

  return { result, loadMore, reload, update } as const;
}
