/**
 * A long-lived SSE subscription over fetch. EventSource cannot send an Authorization header, so
 * the stream is read with fetch and parsed by SseParser. It reconnects on any failure with capped
 * exponential back-off and jitter (so a restarted portal is not hit by every browser at once), and
 * treats a silent connection as dead: the portal sends a heartbeat comment every 15 s.
 */
import type { ApiClient } from './client';
import { ApiError } from './problem';
import { SseParser, type ServerSentEvent } from './sse';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface EventStreamOptions {
  client: ApiClient;
  path: string;
  onEvent(event: ServerSentEvent): void;
  /** Each time a connection opens: events may have been missed, so the caller resynchronises. */
  onOpen?(): void;
  onState?(state: StreamState): void;
  /** No byte for this long (three missed heartbeats) and the connection is given up. */
  idleTimeoutMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Capped exponential back-off with "equal jitter": between half and all of the capped delay. */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const capped = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(capped / 2 + (random() * capped) / 2);
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/** Refusals that another attempt will not change; 401 is the session's business (it renews). */
function isPermanent(error: unknown): boolean {
  return error instanceof ApiError && [401, 403, 404].includes(error.status);
}

/** Opens the stream; returns a function that closes it for good. */
export function openEventStream(options: EventStreamOptions): () => void {
  const {
    client, path, onEvent, onOpen, onState,
    idleTimeoutMs = 45_000, baseDelayMs = 1_000, maxDelayMs = 30_000,
    random = Math.random, sleep = abortableSleep,
  } = options;
  const closed = new AbortController();

  const connectOnce = async (): Promise<boolean> => {
    const connection = new AbortController();
    const abort = () => connection.abort();
    closed.signal.addEventListener('abort', abort, { once: true });
    let idle: ReturnType<typeof setTimeout> | undefined;
    const resetIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(abort, idleTimeoutMs);
    };
    let received = false;
    try {
      const response = await client.open(path, {
        headers: { Accept: 'text/event-stream' },
        cache: 'no-store',
        signal: connection.signal,
      });
      if (!response.body) {
        return false;
      }
      onState?.('live');
      onOpen?.();
      resetIdle();
      const parser = new SseParser({ onEvent });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          break;
        }
        received = true;
        resetIdle();
        parser.push(value);
      }
      parser.end();
    } catch (error) {
      if (isPermanent(error)) {
        throw error;
      }
      // Anything else (network, abort by the idle timer, 5xx) is retried.
    } finally {
      clearTimeout(idle);
      closed.signal.removeEventListener('abort', abort);
    }
    return received;
  };

  void (async () => {
    let attempt = 0;
    onState?.('connecting');
    while (!closed.signal.aborted) {
      try {
        if (await connectOnce()) {
          attempt = 0;
        }
      } catch {
        onState?.('stopped');
        return;
      }
      if (closed.signal.aborted) {
        break;
      }
      onState?.('reconnecting');
      await sleep(backoffDelay(attempt++, baseDelayMs, maxDelayMs, random), closed.signal);
    }
    onState?.('stopped');
  })();

  return () => closed.abort();
}
