import { describe, expect, it } from 'vitest';
import { ApiClient } from './client';
import { backoffDelay, openEventStream, type StreamState } from './eventStream';
import type { ServerSentEvent } from './sse';

function streamOf(...chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) {
        controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      }
      controller.close();
    },
  });
}

describe('backoffDelay', () => {
  it('doubles up to the cap and stays between half and all of it', () => {
    expect(backoffDelay(0, 1000, 30000, () => 0)).toBe(500);
    expect(backoffDelay(0, 1000, 30000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 30000, () => 1)).toBe(8000);
    expect(backoffDelay(10, 1000, 30000, () => 0)).toBe(15000);
    expect(backoffDelay(99, 1000, 30000, () => 1)).toBe(30000);
  });
});

describe('openEventStream', () => {
  it('reconnects after the stream ends, with the token, and resynchronises each time', async () => {
    const utf8 = new TextEncoder().encode('event: workspace\ndata: {"name":"café"}\n\n');
    const bodies = [
      streamOf('event: workspace\ndata: {"n":1}\n\n:heartbeat\n\n'),
      // A multi-byte character split across two network chunks.
      streamOf(utf8.slice(0, 35), utf8.slice(35)),
    ];
    const authorizations: (string | null)[] = [];
    const fetchFn = (async (_input: RequestInfo | URL, init?: RequestInit) => {
      authorizations.push(new Headers(init?.headers).get('Authorization'));
      const body = bodies.shift();
      return body
        ? new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } })
        : new Response(JSON.stringify({ status: 503, code: 'unavailable' }), {
            status: 503,
            headers: { 'Content-Type': 'application/problem+json' },
          });
    }) as typeof fetch;
    const client = new ApiClient({ accessToken: 't0k', handleUnauthorized: () => true }, fetchFn);

    const events: ServerSentEvent[] = [];
    const states: StreamState[] = [];
    let opens = 0;
    const delays: number[] = [];
    let close = () => {};
    await new Promise<void>((done) => {
      close = openEventStream({
        client,
        path: '/api/v1/workspaces/events',
        onEvent: (e) => events.push(e),
        onOpen: () => opens++,
        onState: (s) => states.push(s),
        random: () => 0,
        sleep: async (ms) => {
          delays.push(ms);
          if (delays.length === 4) {
            done();
          }
        },
      });
    });
    close();

    expect(events.map((e) => e.data)).toEqual(['{"n":1}', '{"name":"café"}']);
    expect(opens).toBe(2);
    expect(authorizations.slice(0, 2)).toEqual(['Bearer t0k', 'Bearer t0k']);
    // Each delivered stream resets the back-off; failures (503) grow it.
    expect(delays).toEqual([500, 500, 1000, 2000]);
    expect(states.slice(0, 3)).toEqual(['connecting', 'live', 'reconnecting']);
  });

  it('stops for good on 401 and lets the session renew', async () => {
    let unauthorized = 0;
    const fetchFn = (async () =>
      new Response(JSON.stringify({ status: 401, code: 'unauthenticated' }), {
        status: 401,
        headers: { 'Content-Type': 'application/problem+json' },
      })) as unknown as typeof fetch;
    const client = new ApiClient({ accessToken: 'old', handleUnauthorized: () => { unauthorized++; return true; } }, fetchFn);
    const states: StreamState[] = [];
    await new Promise<void>((done) => {
      openEventStream({
        client,
        path: '/events',
        onEvent: () => {},
        onState: (s) => {
          states.push(s);
          if (s === 'stopped') done();
        },
      });
    });
    expect(unauthorized).toBe(1);
    expect(states).toEqual(['connecting', 'stopped']);
  });
});
