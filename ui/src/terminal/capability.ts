/**
 * Whether this portal offers terminals yet. The terminal API arrives with a later backend change;
 * until then the ticket endpoint does not exist and the terminal button stays hidden. Asked once
 * per page load, with a workspace of the caller's that is RUNNING; the ticket it may issue is
 * single-use and expires in 30 seconds, so an unused one does no harm.
 */
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import type { TerminalTicket } from '../api/types';

export type Capability = 'unknown' | 'available' | 'absent';

let known: Capability = 'unknown';
let probing: Promise<Capability> | null = null;

export function terminalCapability(): Capability {
  return known;
}

export function ticketPath(workspaceId: string): string {
  return `/api/v1/workspaces/${encodeURIComponent(workspaceId)}/terminal-tickets`;
}

export async function probeTerminalCapability(api: ApiClient, runningWorkspaceId: string): Promise<Capability> {
  if (known !== 'unknown') return known;
  probing ??= api.post<TerminalTicket>(ticketPath(runningWorkspaceId)).then(
    () => (known = 'available'),
    (error: unknown) => {
      // 404 or 405: no such endpoint. Anything else (a 409 because the workspace just stopped, a
      // network error) says nothing about the endpoint: ask again later.
      if (error instanceof ApiError && (error.status === 404 || error.status === 405)) {
        known = 'absent';
      }
      probing = null;
      return known;
    },
  );
  return probing;
}
