/**
 * RFC 9457 problem details from the portal, turned into sentences a person can act on. The
 * stable `code` decides the wording; the portal's `detail` says what exactly was wrong.
 */

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  instance?: string;
}

/** An API call that failed; `message` is fit to show. */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly problem: Problem,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(describeProblem(problem, retryAfterSeconds));
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string | undefined {
    return this.problem.code;
  }
}

/** A failure that never reached the portal. */
export const NETWORK_PROBLEM: Problem = { status: 0, code: 'network' };

/** Reads a problem from any failed response, whatever its body. */
export async function readProblem(response: Response): Promise<Problem> {
  const fallback: Problem = { status: response.status, title: response.statusText };
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) {
    return fallback;
  }
  try {
    const body = (await response.json()) as Partial<Problem>;
    return { ...fallback, ...body, status: typeof body.status === 'number' ? body.status : response.status };
  } catch {
    return fallback;
  }
}

/** `Retry-After` as seconds from `now`: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value || !value.trim()) {
    return null;
  }
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    return Math.ceil(Number(text));
  }
  // Only the date forms: Date.parse would otherwise take "3 apples" for a year.
  if (!/[A-Za-z]{3},? \d|GMT$/.test(text)) {
    return null;
  }
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** `3` → "3 seconds", `90` → "1 minute 30 seconds", `7200` → "2 hours". */
export function formatRetryAfter(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (s < 60) {
    return unit(s, 'second');
  }
  if (s < 3600) {
    const minutes = Math.floor(s / 60);
    const rest = s % 60;
    return rest ? `${unit(minutes, 'minute')} ${unit(rest, 'second')}` : unit(minutes, 'minute');
  }
  const hours = Math.floor(s / 3600);
  const minutes = Math.round((s % 3600) / 60);
  return minutes ? `${unit(hours, 'hour')} ${unit(minutes, 'minute')}` : unit(hours, 'hour');
}

/** `"workspace ws-1 is RUNNING; only..."` → `"Workspace ws-1 is RUNNING; only...".` */
function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) {
    return '';
  }
  const capitalised = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

export function describeProblem(problem: Problem, retryAfterSeconds: number | null = null): string {
  const detail = problem.detail ? sentence(problem.detail) : '';
  switch (problem.code) {
    case 'network':
      return 'The portal could not be reached. Check your connection and try again.';
    case 'validation-failed':
      return detail ? `Please correct this: ${detail}` : 'Some of what you entered is not valid. Please correct it.';
    case 'malformed-request':
      return 'The portal could not understand the request. Reload the page and try again.';
    case 'unauthenticated':
      return 'Your sign-in has expired. Signing you in again…';
    case 'forbidden':
      return 'You are not allowed to do this. Ask an administrator if you need it.';
    case 'not-found':
      return `It does not exist any more, or it is not yours. ${detail ? `(${detail}) ` : ''}Refresh to see the current state.`.trim();
    case 'state-conflict':
      return `That is not possible right now: ${detail || 'it is in the middle of something else.'} Wait for the status to change and try again.`;
    case 'concurrent-modification':
      return 'Someone changed this at the same moment. Reload and try again.';
    case 'workspace-limit-reached':
      return `You have reached your limit of running workspaces. Stop one first.${detail ? ` ${detail}` : ''}`;
    case 'rate-limited':
      return retryAfterSeconds != null && retryAfterSeconds > 0
        ? `Too many requests. Try again in ${formatRetryAfter(retryAfterSeconds)}.`
        : 'Too many requests. Wait a moment and try again.';
    case 'last-admin':
      return `The portal needs at least one administrator, so this would leave it without one. Make someone else an admin first.${detail ? ` (${detail})` : ''}`;
    case 'already-reviewed':
      return `Someone has already reviewed this request. Refresh to see the decision.${detail ? ` (${detail})` : ''}`;
    case 'self-review':
      return 'You cannot review your own request: another administrator has to decide on it.';
    case 'firewall-blocked':
      return `The portal's firewall refuses your address.${detail ? ` ${detail}` : ''}`;
    case 'unavailable':
      return `The portal is busy or starting. Try again in a moment.${detail ? ` (${detail})` : ''}`;
    case 'internal-error':
      return `Something went wrong in the portal. ${detail ? `If it keeps happening, tell your administrator: ${detail}` : 'Try again.'}`;
    default:
      if (detail) {
        return detail;
      }
      if (problem.status >= 500) {
        return `The portal failed to answer (HTTP ${problem.status}). Try again in a moment.`;
      }
      return `The request was refused (HTTP ${problem.status}${problem.title ? ` ${problem.title}` : ''}).`;
  }
}
