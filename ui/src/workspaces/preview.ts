/**
 * Live previews of an app in a workspace. Each (workspace, port) lives on an origin of its own,
 * `p<port>--<workspace>.<preview domain>`, never the portal's, so the app cannot read the portal's
 * tokens. The owner gets there with a one-time ticket URL (30 s) that the preview origin trades for
 * a cookie of its own, then redirects to the page.
 *
 *   click ──▶ blank tab opened at once (popup blockers allow only that, during the click)
 *         ──▶ POST …/preview-tickets {port} ──▶ tab.location.replace(ticket url) ──▶ preview page
 *
 * A preview whose cookie is missing or expired links back to `/workspaces/<id>?preview=<port>`;
 * that route asks for a fresh ticket and replaces itself with it (see returnToPreview).
 */
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import type { WorkspaceStatus } from '../api/types';

export interface PreviewTicket {
  /** One use, short-lived: never logged, never kept. */
  url: string;
  expiresAt: string;
  /** e.g. `http://p8000--ws-1.preview.localhost:8080` */
  origin?: string;
}

export function previewTicketPath(workspaceId: string): string {
  return `/api/v1/workspaces/${encodeURIComponent(workspaceId)}/preview-tickets`;
}

export function requestPreviewTicket(api: ApiClient, workspaceId: string, port: number, path?: string): Promise<PreviewTicket> {
  return api.post<PreviewTicket>(previewTicketPath(workspaceId), path ? { port, path } : { port });
}

/** Whether a workspace can be previewed now, as the portal decides (RUNNING only). */
export function canPreview(status: WorkspaceStatus): boolean {
  return status === 'RUNNING';
}

/** Why a preview cannot be opened, in words; null when it can. */
export function previewUnavailableReason(status: WorkspaceStatus): string | null {
  if (canPreview(status)) return null;
  if (status === 'PENDING' || status === 'PROVISIONING') return 'Available once the workspace is running.';
  if (status === 'DELETING' || status === 'DELETED') return 'The workspace is being deleted.';
  return 'Start the workspace to preview its apps.';
}

/** A refused ticket in the words of previews; the portal's general wording for anything else. */
export function describePreviewError(error: unknown, port: number): string {
  if (!(error instanceof ApiError)) {
    return `The preview of port ${port} could not be opened: ${(error as Error)?.message ?? String(error)}`;
  }
  switch (error.code) {
    case 'validation-failed':
      return `Port ${port} cannot be previewed: the workspace's blueprint does not declare it.`;
    case 'state-conflict':
      return `The preview of port ${port} needs the workspace running. Start it, then open the preview again.`;
    case 'not-found':
      return 'This workspace does not exist any more, or it is not yours: only its owner can open its previews.';
    default:
      return error.message;
  }
}

/** `?preview=8000` → 8000; anything that is not a port (1–65535, plain digits) → null. */
export function parsePreviewPort(raw: string | null | undefined): number | null {
  if (raw == null || !/^[1-9][0-9]{0,4}$/.test(raw)) return null;
  const port = Number(raw);
  return port <= 65535 ? port : null;
}

// ---- where previews live ------------------------------------------------------------------------

interface OriginPattern {
  protocol: string;
  domain: string;
  port: string;
}

/**
 * Learns the preview domain from one ticket's origin, so the origins of the other ports and
 * workspaces can be shown before they are opened. Null when the origin does not have the
 * documented shape (then only that exact origin is known).
 */
export function originPattern(origin: string, workspaceId: string, port: number): OriginPattern | null {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return null;
  }
  const label = `p${port}--${workspaceId.toLowerCase()}.`;
  if (!url.hostname.startsWith(label) || url.hostname.length === label.length) return null;
  return { protocol: url.protocol, domain: url.hostname.slice(label.length), port: url.port };
}

function originFrom(pattern: OriginPattern, workspaceId: string, port: number): string {
  return `${pattern.protocol}//p${port}--${workspaceId.toLowerCase()}.${pattern.domain}${pattern.port ? `:${pattern.port}` : ''}`;
}

/**
 * The preview origins this page has learned from tickets, for as long as the page lives (nothing
 * is stored: an origin is no secret, but the page keeps web storage empty). Subscribable for
 * React's useSyncExternalStore.
 */
export class PreviewOrigins {
  private readonly exact = new Map<string, string>();
  private pattern: OriginPattern | null = null;
  private readonly listeners = new Set<() => void>();
  private version = 0;

  learn(workspaceId: string, port: number, origin: string | undefined): void {
    if (!origin) return;
    this.exact.set(`${workspaceId}:${port}`, origin);
    this.pattern = originPattern(origin, workspaceId, port) ?? this.pattern;
    this.version++;
    this.listeners.forEach((listener) => listener());
  }

  /** The origin of a workspace's port, or null while this page has not learned the preview domain. */
  originOf(workspaceId: string, port: number): string | null {
    return this.exact.get(`${workspaceId}:${port}`) ?? (this.pattern ? originFrom(this.pattern, workspaceId, port) : null);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): number => this.version;
}

export const previewOrigins = new PreviewOrigins();

// ---- opening ------------------------------------------------------------------------------------

/** The part of a browser window opening a preview uses. */
export interface PreviewTab {
  opener: unknown;
  readonly closed?: boolean;
  location: { replace(url: string): void };
  close(): void;
  document?: Document;
}

export type OpenWindow = (url: string, target: string) => PreviewTab | null;

/**
 * Opens an empty tab now, while the click still counts as one: a popup blocker refuses a tab
 * opened after the ticket's round trip. It is cut from this page at once (what 'noopener' would
 * do, except that 'noopener' returns no handle to send the tab on with). Null when blocked.
 */
export function openBlankTab(open: OpenWindow = (url, target) => window.open(url, target)): PreviewTab | null {
  const tab = open('', '_blank');
  if (!tab) return null;
  tab.opener = null;
  try {
    if (tab.document) {
      tab.document.title = 'Opening the preview…';
      tab.document.body?.append(tab.document.createTextNode('Opening the preview…'));
    }
  } catch {
    // Only cosmetic.
  }
  return tab;
}

export type PreviewOutcome =
  | { kind: 'opened'; origin: string | null }
  /** No tab could be opened: the page offers the ticket's link instead (one use, 30 s). */
  | { kind: 'blocked'; url: string; origin: string | null; expiresAt: string }
  | { kind: 'failed'; message: string };

/** Fetches a ticket and sends the tab opened by the click to it (or closes that tab on failure). */
export async function openPreview(api: ApiClient, workspaceId: string, port: number,
                                  tab: PreviewTab | null): Promise<PreviewOutcome> {
  let ticket: PreviewTicket;
  try {
    ticket = await requestPreviewTicket(api, workspaceId, port);
  } catch (e) {
    tab?.close();
    return { kind: 'failed', message: describePreviewError(e, port) };
  }
  previewOrigins.learn(workspaceId, port, ticket.origin);
  const origin = ticket.origin ?? null;
  if (!tab) {
    return { kind: 'blocked', url: ticket.url, origin, expiresAt: ticket.expiresAt };
  }
  try {
    // Closed by the person meanwhile: offer the link instead of opening nothing.
    if (!tab.closed) {
      tab.location.replace(ticket.url);
      return { kind: 'opened', origin };
    }
  } catch {
    // As good as closed.
  }
  return { kind: 'blocked', url: ticket.url, origin, expiresAt: ticket.expiresAt };
}

/**
 * The way back from a preview whose cookie expired (`/workspaces/<id>?preview=<port>`, reached
 * after sign-in): a fresh ticket, and this page is replaced by the preview, so Back does not
 * return to a page that would only do it again. Resolves only when it failed.
 */
export async function returnToPreview(api: ApiClient, workspaceId: string, rawPort: string,
                                      replace: (url: string) => void = (url) => window.location.replace(url),
): Promise<{ kind: 'leaving' } | { kind: 'failed'; message: string }> {
  const port = parsePreviewPort(rawPort);
  if (port === null) {
    return { kind: 'failed', message: `This link asks for a preview of "${rawPort}", which is not a port number.` };
  }
  try {
    const ticket = await requestPreviewTicket(api, workspaceId, port);
    previewOrigins.learn(workspaceId, port, ticket.origin);
    replace(ticket.url);
    return { kind: 'leaving' };
  } catch (e) {
    return { kind: 'failed', message: describePreviewError(e, port) };
  }
}
