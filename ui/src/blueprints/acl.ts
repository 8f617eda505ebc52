/**
 * The blueprint access list: who may see and launch a blueprint. The checks follow the portal's
 * (domain BlueprintAcl and Member.email), so an admin sees a mistake before saving.
 */
import type { Acl } from '../api/types';

export const OPEN_ACL: Acl = { mode: 'open', emails: [], domains: [] };
export const MAX_ACL_ENTRIES = 500;

const EMAIL = /^[^@\s]{1,64}@[A-Za-z0-9.-]{1,253}$/;
const DOMAIN = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62}\.?)*[A-Za-z0-9]$/;

export type AclEntry = { kind: 'email' | 'domain'; value: string };

export interface ParsedEntries {
  entries: AclEntry[];
  /** One sentence per entry that is neither an email nor a domain. */
  errors: string[];
  /** Those entries as typed, to leave in the field for correcting. */
  rejected: string[];
}

export function isEmail(text: string): boolean {
  return EMAIL.test(text);
}

export function isDomain(text: string): boolean {
  return text.length <= 253 && DOMAIN.test(text);
}

/**
 * What an admin typed or pasted: emails and domains separated by commas, semicolons, spaces or
 * lines. `@example.com` and `*@example.com` mean the domain; `Ada <ada@example.com>` the email.
 */
export function parseEntries(text: string): ParsedEntries {
  const entries: AclEntry[] = [];
  const errors: string[] = [];
  const rejected: string[] = [];
  const withoutNames = text.replace(/[^<>,;\n]*<([^<>]+)>/g, ' $1 ');
  for (const raw of withoutNames.split(/[\s,;]+/).filter(Boolean)) {
    const token = raw.trim().toLowerCase();
    const domainForm = /^\*?@(.+)$/.exec(token);
    if (domainForm) {
      if (isDomain(domainForm[1])) entries.push({ kind: 'domain', value: domainForm[1] });
      else reject(`"${raw}" is not an email domain such as @example.com.`, raw);
    } else if (token.includes('@')) {
      if (isEmail(token)) entries.push({ kind: 'email', value: token });
      else reject(`"${raw}" is not an email address.`, raw);
    } else if (isDomain(token)) {
      entries.push({ kind: 'domain', value: token });
    } else {
      reject(`"${raw}" is neither an email address nor an email domain.`, raw);
    }
  }
  return { entries, errors, rejected };

  function reject(message: string, raw: string) {
    errors.push(message);
    rejected.push(raw);
  }
}

/** Adds entries to an ACL, lower-cased and each once, in the order given. */
export function addEntries(acl: Acl, entries: AclEntry[]): Acl {
  const emails = [...acl.emails];
  const domains = [...acl.domains];
  for (const entry of entries) {
    const list = entry.kind === 'email' ? emails : domains;
    if (!list.includes(entry.value)) list.push(entry.value);
  }
  return { ...acl, emails, domains };
}

export function removeEntry(acl: Acl, entry: AclEntry): Acl {
  return entry.kind === 'email'
    ? { ...acl, emails: acl.emails.filter((e) => e !== entry.value) }
    : { ...acl, domains: acl.domains.filter((d) => d !== entry.value) };
}

/** A blueprint from before ACLs, or one the portal answered without: open. */
export function aclFrom(acl: Acl | null | undefined): Acl {
  if (!acl) return OPEN_ACL;
  return {
    mode: acl.mode === 'restricted' ? 'restricted' : 'open',
    emails: [...(acl.emails ?? [])],
    domains: [...(acl.domains ?? [])],
  };
}

/** A problem that blocks saving, or null. */
export function validateAcl(acl: Acl, pending: string): string | null {
  const parsed = parseEntries(pending);
  if (parsed.errors.length > 0) return parsed.errors.join(' ');
  const all = addEntries(acl, parsed.entries);
  if (all.emails.length + all.domains.length > MAX_ACL_ENTRIES) {
    return `At most ${MAX_ACL_ENTRIES} emails and domains together.`;
  }
  const bad = [...all.emails.filter((e) => !isEmail(e)), ...all.domains.filter((d) => !isDomain(d))];
  return bad.length > 0 ? `Not an email or domain: ${bad.join(', ')}.` : null;
}

/** The ACL to send, with what is still typed in the entry field added. Lists are kept when open, so switching back restores them. */
export function aclToSend(acl: Acl, pending: string): Acl {
  return addEntries(acl, parseEntries(pending).entries);
}

/** "Every member", "Only admins", "2 people and 1 domain". */
export function describeAcl(acl: Acl | null | undefined): string {
  const a = aclFrom(acl);
  if (a.mode === 'open') return 'Every member';
  const parts: string[] = [];
  if (a.emails.length > 0) parts.push(`${a.emails.length} ${a.emails.length === 1 ? 'person' : 'people'}`);
  if (a.domains.length > 0) parts.push(`${a.domains.length} domain${a.domains.length === 1 ? '' : 's'}`);
  return parts.length === 0 ? 'Only administrators' : `Restricted to ${parts.join(' and ')} (and administrators)`;
}
