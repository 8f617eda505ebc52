/**
 * The organisation's branding (`GET /api/v1/branding`, no sign-in needed): product name, accent
 * colour and logo, applied to the header, the document title and the accent colour. Anything
 * missing or malformed falls back, silently, to the defaults: a portal without branding looks as
 * it always did.
 */
import { useSyncExternalStore } from 'react';
import type { Branding } from '../api/types';

export const DEFAULT_BRANDING: Branding = { productName: 'RDE Portal', accentColor: '#1f5fbf', logoUrl: null };
export const MAX_PRODUCT_NAME = 60;

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

export function isHexColor(text: string): boolean {
  return HEX.test(text.trim());
}

/** `#abc` → `#aabbcc`, lower case. */
export function normalizeHex(text: string): string {
  const t = text.trim().toLowerCase();
  return t.length === 4 ? `#${t[1]}${t[1]}${t[2]}${t[2]}${t[3]}${t[3]}` : t;
}

function luminance(hex: string): number {
  const n = normalizeHex(hex);
  const channel = (i: number) => {
    const c = parseInt(n.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

export function contrastRatio(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** White or near-black, whichever reads better on the accent (buttons' text). */
export function textOn(accent: string): string {
  return contrastRatio(accent, '#ffffff') >= contrastRatio(accent, '#0b1220') ? '#ffffff' : '#0b1220';
}

/**
 * The logo as an image source the portal's Content-Security-Policy admits (`img-src 'self' data:`):
 * a path on the portal, a URL on its own origin, or a data: image. Anything else would be refused
 * by the browser, so it is not shown at all.
 */
export function logoSrc(url: string | null | undefined, origin: string): string | null {
  const u = url?.trim();
  if (!u) return null;
  if (/^data:image\/(png|gif|jpeg|webp|svg\+xml)[;,]/i.test(u)) return u;
  if (u.startsWith('/') && !u.startsWith('//')) return u;
  try {
    const parsed = new URL(u);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.origin === origin ? parsed.href : null;
  } catch {
    return null;
  }
}

/** What the portal answered, made safe to show; missing fields take the defaults. */
export function sanitizeBranding(raw: unknown): Branding {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof Branding, unknown>>;
  const name = typeof r.productName === 'string' ? r.productName.trim() : '';
  const accent = typeof r.accentColor === 'string' && isHexColor(r.accentColor) ? normalizeHex(r.accentColor) : DEFAULT_BRANDING.accentColor;
  return {
    productName: name && name.length <= MAX_PRODUCT_NAME ? name : DEFAULT_BRANDING.productName,
    accentColor: accent,
    logoUrl: typeof r.logoUrl === 'string' && r.logoUrl.trim() ? r.logoUrl.trim() : null,
  };
}

/** Fetches the branding without a token; null on any failure (404 before the feature exists, network, bad JSON). */
export async function fetchBranding(fetchFn: typeof fetch = (...args) => fetch(...args)): Promise<Branding | null> {
  try {
    const response = await fetchFn('/api/v1/branding', { headers: { Accept: 'application/json' }, credentials: 'omit' });
    if (!response.ok || !(response.headers.get('Content-Type') ?? '').includes('json')) return null;
    return sanitizeBranding(await response.json());
  } catch {
    return null;
  }
}

// One branding for the whole page; components follow it with useBranding().
let current: Branding = DEFAULT_BRANDING;
const listeners = new Set<() => void>();

export function currentBranding(): Branding {
  return current;
}

export function setBranding(branding: Branding): void {
  current = sanitizeBranding(branding);
  applyToDocument(current);
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useBranding(): Branding & { logoSrc: string | null } {
  const branding = useSyncExternalStore(subscribe, currentBranding);
  return { ...branding, logoSrc: logoSrc(branding.logoUrl, window.location.origin) };
}

/** The accent as CSS variables; the default leaves the stylesheet's own (light and dark) values alone. */
export function applyToDocument(branding: Branding, root: HTMLElement = document.documentElement): void {
  if (branding.accentColor === DEFAULT_BRANDING.accentColor) {
    root.style.removeProperty('--accent');
    root.style.removeProperty('--accent-text');
  } else {
    root.style.setProperty('--accent', branding.accentColor);
    root.style.setProperty('--accent-text', textOn(branding.accentColor));
  }
  const title = document.title;
  const suffix = / · [^·]+$/;
  if (suffix.test(title)) document.title = title.replace(suffix, ` · ${branding.productName}`);
}

let loading: Promise<void> | null = null;

/** Once per page load. */
export function loadBranding(): Promise<void> {
  loading ??= fetchBranding().then((branding) => {
    if (branding) setBranding(branding);
  });
  return loading;
}
