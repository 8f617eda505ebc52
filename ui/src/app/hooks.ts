import { useCallback, useEffect, useRef, useState } from 'react';
import { busyRegistry } from '../auth/renewal';
import { useBranding } from '../settings/branding';

export type Loadable<T> =
  | { state: 'loading' }
  /** `status`: the HTTP status when the portal answered (404: the feature is not there, …). */
  | { state: 'failed'; message: string; status?: number }
  | { state: 'loaded'; value: T };

/** Loads once per `key`, and again on reload(); stale answers (after a newer load) are ignored. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, key: unknown[] = []) {
  const [result, setResult] = useState<Loadable<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setResult((previous) => (previous.state === 'loaded' ? previous : { state: 'loading' }));
    loadRef.current(controller.signal).then(
      (value) => !controller.signal.aborted && setResult({ state: 'loaded', value }),
      (error: Error) => !controller.signal.aborted && error.name !== 'AbortError' &&
        setResult({ state: 'failed', message: error.message, status: (error as { status?: number }).status }),
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [generation, ...key]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return [result, reload, setResult] as const;
}

/** Holds a busy claim (see BusyRegistry) while `active`: a renewal would lose something. */
export function useBusyWhile(active: boolean, reason: string): void {
  useEffect(() => (active ? busyRegistry.hold(reason) : undefined), [active, reason]);
}

export function useDocumentTitle(title: string): void {
  const { productName } = useBranding();
  useEffect(() => {
    document.title = `${title} · ${productName}`;
  }, [title, productName]);
}

/** Calls `tick` every `ms` while the page is visible, and once when it becomes visible again. */
export function usePolling(tick: () => void, ms: number, enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') tick();
    }, ms);
    const onVisible = () => document.visibilityState === 'visible' && tick();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [tick, ms, enabled]);
}
