/**
 * The firewall's rules as an admin edits them, checked and evaluated exactly as the portal does
 * (domain Cidr, IpAddress, FirewallPolicy and ReplaceFirewallRulesCommand), so the editor can say
 * which rule decides for an address before anything is saved.
 */
import type { FirewallAction, FirewallRule } from '../api/types';

export const MAX_RULES = 500;
export const MAX_NOTE = 200;

export interface RuleDraft {
  /** Stable React key; not sent. */
  key: number;
  action: FirewallAction;
  cidr: string;
  note: string;
}

let nextKey = 1;

export function draftsFrom(rules: FirewallRule[]): RuleDraft[] {
  return rules.map((r) => ({ key: nextKey++, action: r.action, cidr: r.cidr, note: r.note ?? '' }));
}

export function newDraft(action: FirewallAction = 'deny'): RuleDraft {
  return { key: nextKey++, action, cidr: '', note: '' };
}

export function updateDraft(drafts: RuleDraft[], key: number, patch: Partial<Omit<RuleDraft, 'key'>>): RuleDraft[] {
  return drafts.map((d) => (d.key === key ? { ...d, ...patch } : d));
}

export function removeDraft(drafts: RuleDraft[], key: number): RuleDraft[] {
  return drafts.filter((d) => d.key !== key);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function parseIpv4(text: string): number[] | null {
  return IPV4.test(text) ? text.split('.').map(Number) : null;
}

function parseIpv6(text: string): number[] | null {
  if (!/^[0-9A-Fa-f:.]{2,45}$/.test(text) || !text.includes(':')) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string): number[] | null => {
    if (part === '') return [];
    const pieces = part.split(':');
    const out: number[] = [];
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return null;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !tail) return null;
  // An embedded IPv4 part may end only the address, not the head before "::".
  if (halves.length === 2 && halves[0].includes('.')) return null;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return null;
    groups = [...head, ...Array<number>(missing).fill(0), ...tail];
  } else {
    if (head.length !== 8) return null;
    groups = head;
  }
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

function isMapped(bytes: number[]): boolean {
  return bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

/** An address's bytes (4 or 16), or null. `::ffff:10.0.0.1` is its IPv4 address, as the portal sees it. */
export function parseIp(text: string): number[] | null {
  let s = text.trim();
  const v4 = parseIpv4(s);
  if (v4) return v4;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const v6 = parseIpv6(s);
  if (!v6) return null;
  return isMapped(v6) ? v6.slice(12) : v6;
}

/** Canonical text (RFC 5952 for IPv6). */
export function formatIp(bytes: number[]): string {
  if (bytes.length === 4) return bytes.join('.');
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  if (bestLength < 2) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}

function mask(bytes: number[], prefix: number): number[] {
  return bytes.map((b, i) => {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    return b & ((0xff << (8 - bits)) & 0xff);
  });
}

export interface Cidr {
  network: number[];
  prefix: number;
  /** `10.0.0.0/8`, `2001:db8::/32`; a single address is `/32` or `/128`. */
  canonical: string;
}

/** A network, or a sentence saying why the text is not one (the portal's wording). */
export function parseCidr(text: string): Cidr | string {
  const s = text.trim();
  if (!s) return 'A network is required, such as 10.0.0.0/8 or 2001:db8::/32.';
  const slash = s.indexOf('/');
  const addressText = slash < 0 ? s : s.slice(0, slash);
  const address = parseIp(addressText);
  if (!address) return `"${addressText}" is not an IPv4 or IPv6 address.`;
  if (slash >= 0 && addressText.includes(':') && address.length === 4) {
    return `"${s}" is an IPv4-mapped IPv6 network; write it as IPv4.`;
  }
  const max = address.length * 8;
  let prefix = max;
  if (slash >= 0) {
    const prefixText = s.slice(slash + 1);
    prefix = Number(prefixText);
    if (!/^\d{1,3}$/.test(prefixText) || prefix > max) return `The prefix length of "${s}" must be 0 to ${max}.`;
  }
  const network = mask(address, prefix);
  if (network.some((b, i) => b !== address[i])) {
    return `"${s}" has bits set past its prefix; the network is ${formatIp(network)}/${prefix}.`;
  }
  return { network, prefix, canonical: `${formatIp(network)}/${prefix}` };
}

function contains(cidr: Cidr, address: number[]): boolean {
  if (address.length !== cidr.network.length) return false;
  return mask(address, cidr.prefix).every((b, i) => b === cidr.network[i]);
}

export interface RuleErrors {
  /** By draft key. */
  rows: Record<number, string>;
  /** About the whole set. */
  all: string | null;
}

export function validateRules(drafts: RuleDraft[]): RuleErrors {
  const rows: Record<number, string> = {};
  const seen = new Map<string, number>();
  drafts.forEach((d, i) => {
    const parsed = parseCidr(d.cidr);
    if (typeof parsed === 'string') {
      rows[d.key] = parsed;
      return;
    }
    const first = seen.get(parsed.canonical);
    if (first !== undefined) {
      rows[d.key] = `${parsed.canonical} is already rule ${first + 1}; a network may appear once.`;
      return;
    }
    seen.set(parsed.canonical, i);
    if (d.note.trim().length > MAX_NOTE) rows[d.key] = `The note may be at most ${MAX_NOTE} characters.`;
  });
  return { rows, all: drafts.length > MAX_RULES ? `At most ${MAX_RULES} rules.` : null };
}

export function hasErrors(errors: RuleErrors): boolean {
  return errors.all !== null || Object.keys(errors.rows).length > 0;
}

/** The body of `PUT /api/v1/security/firewall`: canonical networks, blank notes left out. */
export function rulesToSend(drafts: RuleDraft[]): FirewallRule[] {
  return drafts.map((d) => {
    const parsed = parseCidr(d.cidr);
    return {
      action: d.action,
      cidr: typeof parsed === 'string' ? d.cidr.trim() : parsed.canonical,
      note: d.note.trim() || null,
    };
  });
}

/** Whether the drafts say the same as the saved rules (nothing to save). */
export function sameRules(drafts: RuleDraft[], saved: FirewallRule[]): boolean {
  const a = rulesToSend(drafts);
  return a.length === saved.length && a.every((r, i) =>
    r.action === saved[i].action && r.cidr === saved[i].cidr && (r.note ?? null) === (saved[i].note ?? null));
}

/**
 * Indices of the valid rules in the order the portal consults them: the longest prefix first, and
 * on an equal prefix deny before allow. The list's own order does not matter.
 */
export function precedence(rules: Pick<RuleDraft, 'action' | 'cidr'>[]): number[] {
  const compiled = rules
    .map((r, i) => ({ i, action: r.action, cidr: parseCidr(r.cidr) }))
    .filter((c): c is { i: number; action: FirewallAction; cidr: Cidr } => typeof c.cidr !== 'string');
  // Array.prototype.sort is stable, as Java's List.sort: ties keep the list's order.
  compiled.sort((x, y) => (y.cidr.prefix - x.cidr.prefix) || ((x.action === 'deny' ? 0 : 1) - (y.action === 'deny' ? 0 : 1)));
  return compiled.map((c) => c.i);
}

export type Verdict =
  | { allowed: true; rule: number | null; reason: string }
  | { allowed: false; rule: number | null; reason: string };

/** What the portal would decide for `address` under `rules`; `rule` is the deciding rule's index. */
export function evaluate(rules: Pick<RuleDraft, 'action' | 'cidr'>[], address: string): Verdict | string {
  const bytes = parseIp(address);
  if (!bytes) return `"${address.trim()}" is not an IPv4 or IPv6 address.`;
  const order = precedence(rules);
  if (order.length === 0) return { allowed: true, rule: null, reason: 'There are no rules: every address may connect.' };
  for (const i of order) {
    const cidr = parseCidr(rules[i].cidr) as Cidr;
    if (contains(cidr, bytes)) {
      return rules[i].action === 'deny'
        ? { allowed: false, rule: i, reason: `Denied by rule ${i + 1} (${cidr.canonical}), the most specific match.` }
        : { allowed: true, rule: i, reason: `Allowed by rule ${i + 1} (${cidr.canonical}), the most specific match.` };
    }
  }
  const allowList = order.some((i) => rules[i].action === 'allow');
  return allowList
    ? { allowed: false, rule: null, reason: 'No rule matches, and with an allow rule present the firewall is an allow list: refused.' }
    : { allowed: true, rule: null, reason: 'No rule matches, and there is no allow rule: allowed.' };
}
