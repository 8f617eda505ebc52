/**
 * Whether this portal offers terminals. Asked once per page load with a RUNNING workspace of the
 * caller's, through `GET …/terminal-sessions`: a read with no side effect, so merely showing the
 * workspace list never spends (or litters the database with) a one-time ticket. Tickets are
 * requested only when a terminal is opened or re-attached.
 */
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import type { ListResponse } from '../api/types';
import { sessionsPath, type TerminalSession } from './protocol';

export type Capability = 'unknown' | 'available' | 'absent';

/**
 * What one probe answer says. 2xx: there. 503 (the workspace's agent is away) still proves the
 * endpoint exists. 404/405: no such endpoint on this portal. Anything else (a network error, a
 * 401 being renewed, 5xx) says nothing: ask again later.
 */
export function capabilityFrom(outcome: 'ok' | unknown): Capability {
  if (outcome === 'ok') return 'available';
  if (outcome instanceof ApiError) {
    if (outcome.status === 503) return 'available';
    if (outcome.status === 404 || outcome.status === 405) return 'absent';
  }
  return 'unknown';
}

let known: Capability = 'unknown';
let probing: Promise<Capability> | null = null;

export function terminalCapability(): Capability {
  return known;
}

export async function probeTerminalCapability(api: ApiClient, runningWorkspaceId: string): Promise<Capability> {
  if (known !== 'unknown') return known;
  probing ??= api.get<ListResponse<TerminalSession>>(sessionsPath(runningWorkspaceId)).then(
    () => 'ok' as const,
    (error: unknown) => error,
  ).then((outcome) => {
    known = capabilityFrom(outcome);
    probing = null;
    return known;
  });
  return probing;
}
