import { describe, expect, it } from 'vitest';
import type { Connection } from '../api/types';
import { describeConnection, durationOf, formatDuration } from './sessions';

const base: Connection = {
  id: 'c1', type: 'terminal', user: 'alice@example.com', clientIp: '127.0.0.1', workspaceId: 'ws-1', detail: null,
  openedAt: '2026-11-29T12:00:00Z', closedAt: null, closeReason: null, requests: null, bytesIn: 10, bytesOut: 20,
};

describe('connection log', () => {
  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59_999)).toBe('59 s');
    expect(formatDuration(60_000)).toBe('1 min');
    expect(formatDuration(245_000)).toBe('4 min 5 s');
    expect(formatDuration(2 * 3600_000 + 600_000)).toBe('2 h 10 min');
    expect(formatDuration(3 * 86400_000 + 4 * 3600_000)).toBe('3 d 4 h');
    expect(formatDuration(-5)).toBe('0 s');
  });

  it('measures open connections up to now and closed ones to their close', () => {
    expect(durationOf(base, Date.parse('2026-11-29T12:01:30Z'))).toBe('1 min 30 s');
    expect(durationOf({ ...base, closedAt: '2026-11-29T12:00:07Z' }, Date.parse('2026-12-01T00:00:00Z'))).toBe('7 s');
  });

  it('describes the kind of connection', () => {
    expect(describeConnection(base)).toBe('Terminal');
    expect(describeConnection({ ...base, type: 'preview', detail: 'port 8000' })).toBe('Preview · port 8000');
  });
});
