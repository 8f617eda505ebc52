/** Publish requests: the owner's form, and how a request's state reads. */
import type { PublishRequest, PublishStatus } from '../api/types';

export const MAX_NOTE = 1000;

export interface PublishForm {
  port: string;
  note: string;
}

export type PublishErrors = Partial<Record<keyof PublishForm, string>>;

export function validatePublish(form: PublishForm, ports: number[]): PublishErrors {
  const errors: PublishErrors = {};
  const port = form.port.trim();
  if (!port) errors.port = 'Choose the port of the app to publish.';
  else if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) errors.port = 'A port from 1 to 65535.';
  else if (ports.length > 0 && !ports.includes(Number(port))) errors.port = `This workspace's ports are ${ports.join(', ')}.`;
  if (form.note.trim().length > MAX_NOTE) errors.note = `At most ${MAX_NOTE} characters.`;
  return errors;
}

export function publishBody(form: PublishForm): { port: number; note: string | null } {
  return { port: Number(form.port.trim()), note: form.note.trim() || null };
}

export function publishStatusLabel(status: PublishStatus): string {
  switch (status) {
    case 'PENDING': return 'Waiting for review';
    case 'APPROVED': return 'Approved, publishing';
    case 'REJECTED': return 'Rejected';
    case 'PUBLISHED': return 'Published';
    case 'FAILED': return 'Failed';
    case 'UNPUBLISHING': return 'Being removed';
    case 'UNPUBLISHED': return 'Unpublished';
    default: return status;
  }
}

export function publishTone(status: PublishStatus): 'ok' | 'busy' | 'idle' | 'bad' {
  switch (status) {
    case 'PUBLISHED': return 'ok';
    case 'PENDING':
    case 'APPROVED':
    case 'UNPUBLISHING': return 'busy';
    case 'REJECTED':
    case 'FAILED': return 'bad';
    case 'UNPUBLISHED':
    default: return 'idle';
  }
}

/** How often a request the agent is working on (publishing or removing it) is looked at again. */
export const FOLLOW_MS = 5_000;

/** The agent is publishing or removing it: the state changes without anyone doing anything. */
export function inFlight(status: PublishStatus): boolean {
  return status === 'APPROVED' || status === 'UNPUBLISHING';
}

/** The app runs, or a failed publish may have left parts of it (the portal answers 409 otherwise). */
export function unpublishable(status: PublishStatus): boolean {
  return status === 'PUBLISHED' || status === 'FAILED';
}

export function unpublishPath(requestId: string): string {
  return `/api/v1/publish-requests/${encodeURIComponent(requestId)}/unpublish`;
}

/** Whether `me` may approve or reject it: pending, and not their own (the portal answers 403 self-review). */
export function reviewable(request: PublishRequest, me: string): { ok: true } | { ok: false; why: string } {
  if (request.status !== 'PENDING') return { ok: false, why: 'Already reviewed.' };
  if (request.requester.toLowerCase() === me.toLowerCase()) {
    return { ok: false, why: 'Your own request: another administrator has to review it.' };
  }
  return { ok: true };
}

/** What the owner learns right after asking. */
export function afterRequest(request: PublishRequest): string {
  if (request.autoApproved || request.status === 'APPROVED' || request.status === 'PUBLISHED') {
    return `Port ${request.port} was approved at once (you are a trusted member)${request.url ? `: ${request.url}` : '; it is being published.'}`;
  }
  return `Publishing port ${request.port} was requested; an administrator will review it.`;
}

/** Only http(s) URLs become links: the URL comes from the portal, but a link is a link. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}
