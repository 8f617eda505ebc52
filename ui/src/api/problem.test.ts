import { describe, expect, it } from 'vitest';
import { ApiError, describeProblem, formatRetryAfter, parseRetryAfter, readProblem } from './problem';

function problemResponse(status: number, body: unknown, type = 'application/problem+json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });
}

describe('problem+json', () => {
  it('reads the fields the portal writes', async () => {
    const problem = await readProblem(
      problemResponse(409, {
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail: 'workspace ws-1 is RUNNING; only a STOPPED or FAILED workspace can be started',
        instance: '/api/v1/workspaces/ws-1/start',
        code: 'state-conflict',
      }),
    );
    expect(problem).toMatchObject({ status: 409, code: 'state-conflict', title: 'Conflict' });
    expect(describeProblem(problem)).toBe(
      'That is not possible right now: Workspace ws-1 is RUNNING; only a STOPPED or FAILED workspace can be started.' +
        ' Wait for the status to change and try again.',
    );
  });

  it('falls back to the status when the body is not JSON', async () => {
    const problem = await readProblem(new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    expect(problem).toEqual({ status: 502, title: 'Bad Gateway' });
    expect(describeProblem(problem)).toBe('The portal failed to answer (HTTP 502). Try again in a moment.');
  });

  it('shows what to correct for validation failures', () => {
    expect(describeProblem({ status: 400, code: 'validation-failed', detail: 'name must be at most 40 characters' }))
      .toBe('Please correct this: Name must be at most 40 characters.');
  });

  it('says not-found without revealing whose it is', () => {
    expect(describeProblem({ status: 404, code: 'not-found', detail: 'workspace ws-9 not found' }))
      .toBe('It does not exist any more, or it is not yours. (Workspace ws-9 not found.) Refresh to see the current state.');
  });

  it('uses Retry-After for rate limits', () => {
    const error = new ApiError({ status: 429, code: 'rate-limited' }, parseRetryAfter('3'));
    expect(error.message).toBe('Too many requests. Try again in 3 seconds.');
    expect(parseRetryAfter('soon')).toBeNull();
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-29T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('1.2', now)).toBe(2);
    expect(parseRetryAfter('Sun, 29 Nov 2026 12:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Sun, 29 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter('3 apples', now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
  });

  it('says how long to wait in words', () => {
    expect(formatRetryAfter(1)).toBe('1 second');
    expect(formatRetryAfter(59)).toBe('59 seconds');
    expect(formatRetryAfter(60)).toBe('1 minute');
    expect(formatRetryAfter(90)).toBe('1 minute 30 seconds');
    expect(formatRetryAfter(3600)).toBe('1 hour');
    expect(formatRetryAfter(7380)).toBe('2 hours 3 minutes');
    expect(new ApiError({ status: 429, code: 'rate-limited' }, 90).message)
      .toBe('Too many requests. Try again in 1 minute 30 seconds.');
    expect(new ApiError({ status: 429, code: 'rate-limited' }, null).message)
      .toBe('Too many requests. Wait a moment and try again.');
  });

  it('explains the member and review conflicts', () => {
    expect(describeProblem({ status: 409, code: 'last-admin', detail: 'admin@example.com is the last admin' }))
      .toContain('at least one administrator');
    expect(describeProblem({ status: 409, code: 'already-reviewed' })).toContain('already reviewed');
    expect(describeProblem({ status: 403, code: 'self-review' })).toContain('your own request');
  });

  it('shows an unknown code by its detail', () => {
    expect(describeProblem({ status: 400, code: 'ticket-invalid', detail: 'the ticket was used already' }))
      .toBe('The ticket was used already.');
  });

  it('keeps the reference of an internal error', () => {
    expect(describeProblem({ status: 500, code: 'internal-error', detail: 'unexpected error; reference abc' }))
      .toContain('reference abc');
  });
});
