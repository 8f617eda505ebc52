/** How the connection log reads in a table. */
import type { Connection } from '../api/types';

/** "3 s", "4 min 5 s", "2 h 10 min", "3 d 4 h": how long a connection lasted (or has lasted). */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

export function durationOf(c: Connection, now: number = Date.now()): string {
  const end = c.closedAt ? Date.parse(c.closedAt) : now;
  return formatDuration(end - Date.parse(c.openedAt));
}

/** A connection's kind in words: `Terminal · session …`, `Preview · port 8000`. */
export function describeConnection(c: Connection): string {
  const kind = c.type === 'terminal' ? 'Terminal' : c.type === 'preview' ? 'Preview' : c.type;
  return c.detail ? `${kind} · ${c.detail}` : kind;
}

/** Polling pauses while the tab is hidden: nobody is looking, and the portal has better things to do. */
export const ACTIVE_REFRESH_MS = 10_000;
