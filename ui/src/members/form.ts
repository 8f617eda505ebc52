/** The member form and its checks, which follow the portal's (domain Member and PutMemberCommand). */
import type { Member, Role } from '../api/types';
import { isEmail } from '../blueprints/acl';

export const MAX_WORKSPACE_LIMIT = 1000;

export interface MemberForm {
  email: string;
  role: Role;
  trusted: boolean;
  /** Blank: the organisation's default. */
  limit: string;
}

export type MemberErrors = Partial<Record<'email' | 'limit', string>>;

export const EMPTY_MEMBER: MemberForm = { email: '', role: 'user', trusted: false, limit: '' };

export function memberForm(member: Member): MemberForm {
  return {
    email: member.email,
    role: member.role,
    trusted: member.trusted,
    limit: member.workspaceLimit === null ? '' : String(member.workspaceLimit),
  };
}

/** Blank → null (the default); a whole number 0…1000; otherwise a sentence saying what is wrong. */
export function parseLimit(text: string): number | null | string {
  const t = text.trim();
  if (!t) return null;
  if (!/^\d+$/.test(t)) return 'A whole number such as 3, or empty for the organisation default.';
  const n = Number(t);
  return n > MAX_WORKSPACE_LIMIT ? `At most ${MAX_WORKSPACE_LIMIT}.` : n;
}

export function validateMember(form: MemberForm): MemberErrors {
  const errors: MemberErrors = {};
  const email = form.email.trim();
  if (!email) errors.email = 'Enter the email address the person signs in with.';
  else if (!isEmail(email)) errors.email = `"${email}" is not an email address.`;
  const limit = parseLimit(form.limit);
  if (typeof limit === 'string') errors.limit = limit;
  return errors;
}

/** The body of `PUT /api/v1/members/{email}`; call only when validateMember found nothing. */
export function memberRequest(form: MemberForm): { role: Role; trusted: boolean; workspaceLimit: number | null } {
  const limit = parseLimit(form.limit);
  return { role: form.role, trusted: form.trusted, workspaceLimit: typeof limit === 'number' ? limit : null };
}

export function memberPath(email: string): string {
  return `/api/v1/members/${encodeURIComponent(email.trim().toLowerCase())}`;
}

/** "Default", "None" (0: may not run any), "3". */
export function describeLimit(limit: number | null): string {
  if (limit === null) return 'Default';
  return limit === 0 ? 'None (may not run any)' : String(limit);
}
