import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import { capabilityFrom, probeTerminalCapability } from './capability';

describe('terminal capability', () => {
  it('reads the probe answer', () => {
    expect(capabilityFrom('ok')).toBe('available');
    expect(capabilityFrom(new ApiError({ status: 503 }))).toBe('available');
    expect(capabilityFrom(new ApiError({ status: 404 }))).toBe('absent');
    expect(capabilityFrom(new ApiError({ status: 405 }))).toBe('absent');
    expect(capabilityFrom(new ApiError({ status: 0, code: 'network' }))).toBe('unknown');
  });

  it('probes with a GET of the sessions list, never by asking for a ticket', async () => {
    const calls: string[] = [];
    const api = new ApiClient({ accessToken: 't', handleUnauthorized: () => false }, async (input, init) => {
      calls.push(`${init?.method ?? 'GET'} ${String(input)}`);
      return new Response('{"items":[],"next":null}', { status: 200, headers: { 'Content-Type': 'application/json' } });
    });
    expect(await probeTerminalCapability(api, 'ws-1')).toBe('available');
    expect(calls).toEqual(['GET /api/v1/workspaces/ws-1/terminal-sessions']);
  });
});
