/**
 * Opening a published app. Its origin is its own (`<name>--pub.<preview domain>`), like a preview's,
 * so the way in is the same: a one-time ticket URL, traded there for a cookie. Any member may open
 * it; the portal checks membership on every request the app gets.
 *
 *   /published/<requestId> ──▶ POST /api/v1/published/<requestId>/tickets ──▶ location.replace(ticket url)
 *
 * The published app's "sign in again" page links back to /published/<requestId>.
 */
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import type { PreviewTicket } from '../workspaces/preview';

export function publishedPath(requestId: string): string {
  return `/published/${encodeURIComponent(requestId)}`;
}

export function publishedTicketPath(requestId: string): string {
  return `/api/v1/published/${encodeURIComponent(requestId)}/tickets`;
}

/** The refusal in words a member understands. */
export function describePublishedError(error: unknown): string {
  if (!(error instanceof ApiError)) {
    return `The published app could not be opened: ${(error as Error)?.message ?? String(error)}`;
  }
  switch (error.code) {
    case 'not-found':
      return 'There is no published app here: the link is wrong, or it was never published.';
    case 'state-conflict':
      return 'This app is not published (yet, or any more). Its owner can see why on their workspace page.';
    case 'not-a-member':
      return 'Published apps are for members of this portal only.';
    default:
      return error.message;
  }
}

/** Asks for a ticket and leaves for the app; answers the failure in words otherwise. */
export async function openPublished(api: ApiClient, requestId: string,
                                    replace: (url: string) => void = (url) => window.location.replace(url),
): Promise<{ kind: 'leaving' } | { kind: 'failed'; message: string }> {
  try {
    const ticket = await api.post<PreviewTicket>(publishedTicketPath(requestId), {});
    replace(ticket.url);
    return { kind: 'leaving' };
  } catch (e) {
    return { kind: 'failed', message: describePublishedError(e) };
  }
}
