/** The audit log's filters as the form holds them, checked as the portal checks them (AuditFilter). */
import type { QueryValue } from '../api/paging';
import type { VerificationReport } from '../api/types';

export interface AuditFilters {
  /** `datetime-local` values, in the browser's time zone. */
  from: string;
  to: string;
  actor: string;
  type: string;
  workspace: string;
}

export const NO_FILTERS: AuditFilters = { from: '', to: '', actor: '', type: '', workspace: '' };

export type FilterErrors = Partial<Record<keyof AuditFilters, string>>;

const TYPE = /^[A-Za-z0-9_.$]{1,255}$/;
const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

/** A `datetime-local` value (local time) as the ISO-8601 UTC instant the portal takes; null if blank or invalid. */
export function localToIso(value: string): string | null {
  const v = value.trim();
  if (!v || !LOCAL.test(v)) return null;
  const date = new Date(v);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** An instant as a `datetime-local` value in the browser's time zone, to the minute. */
export function isoToLocal(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function validateFilters(f: AuditFilters): FilterErrors {
  const errors: FilterErrors = {};
  const from = localToIso(f.from);
  const to = localToIso(f.to);
  if (f.from.trim() && !from) errors.from = 'Pick a date and time.';
  if (f.to.trim() && !to) errors.to = 'Pick a date and time.';
  if (from && to && Date.parse(from) >= Date.parse(to)) errors.to = '"To" must be after "From".';
  if (f.type.trim() && !TYPE.test(f.type.trim())) errors.type = 'An event name such as WorkspaceLaunchedEvent.';
  return errors;
}

/** Query parameters for `GET /api/v1/audit` and its export; call only when validateFilters found nothing. */
export function auditParams(f: AuditFilters): Record<string, QueryValue> {
  return {
    from: localToIso(f.from),
    to: localToIso(f.to),
    actor: f.actor.trim(),
    type: f.type.trim(),
    workspace: f.workspace.trim(),
  };
}

export function activeFilterCount(f: AuditFilters): number {
  return Object.values(auditParams(f)).filter((v) => v !== null && v !== '').length;
}

export type Verdict = { tone: 'ok' | 'bad'; headline: string; detail: string };

/** The verification report in two sentences: intact, or where the history first diverges. */
export function describeReport(r: VerificationReport): Verdict {
  const pending = r.pending > 0 ? ` ${r.pending} newer event${r.pending === 1 ? ' is' : 's are'} not linked yet.` : '';
  if (r.intact) {
    const head = r.head ? ` The chain ends at sequence ${r.head.sequence}.` : ' The chain is empty.';
    return { tone: 'ok', headline: 'The audit history is intact.', detail: `${r.checked} link${r.checked === 1 ? '' : 's'} checked.${head}${pending}` };
  }
  const first = r.firstDivergence ?? r.findings[0];
  const count = r.findings.length;
  const more = r.truncated ? ' (and more not listed)' : '';
  return {
    tone: 'bad',
    headline: first ? `The audit history diverges at sequence ${first.sequence}: an event was ${first.kind}.`
      : 'The audit history does not verify.',
    detail: `${count} finding${count === 1 ? '' : 's'}${more}; ${r.checked} links checked.${pending}`,
  };
}
