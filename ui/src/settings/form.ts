/** The settings form (branding and rate limits) and its checks. */
import type { Settings } from '../api/types';
import { isHexColor, logoSrc, MAX_PRODUCT_NAME, normalizeHex } from './branding';

export const MAX_RATE = 100_000;

export interface SettingsForm {
  productName: string;
  accentColor: string;
  logoUrl: string;
  launchesPerMinute: string;
  requestsPerMinute: string;
}

export type SettingsErrors = Partial<Record<keyof SettingsForm, string>>;

export function settingsForm(s: Settings): SettingsForm {
  return {
    productName: s.branding?.productName ?? '',
    accentColor: s.branding?.accentColor ?? '',
    logoUrl: s.branding?.logoUrl ?? '',
    launchesPerMinute: s.rateLimits?.launchesPerMinute == null ? '' : String(s.rateLimits.launchesPerMinute),
    requestsPerMinute: s.rateLimits?.requestsPerMinute == null ? '' : String(s.rateLimits.requestsPerMinute),
  };
}

function rate(text: string): string | null {
  const t = text.trim();
  if (!/^\d+$/.test(t) || Number(t) < 1) return 'A whole number, 1 or more.';
  return Number(t) > MAX_RATE ? `At most ${MAX_RATE.toLocaleString('en')}.` : null;
}

export function validateSettings(f: SettingsForm): SettingsErrors {
  const errors: SettingsErrors = {};
  const name = f.productName.trim();
  if (!name) errors.productName = 'Enter the name shown in the header and the page titles.';
  else if (name.length > MAX_PRODUCT_NAME) errors.productName = `At most ${MAX_PRODUCT_NAME} characters.`;
  if (!isHexColor(f.accentColor)) errors.accentColor = 'A colour such as #1f5fbf.';
  const logo = f.logoUrl.trim();
  // As the portal checks it: an https address or a path on the portal, nothing else.
  if (logo && !/^(https:\/\/|\/(?!\/))/i.test(logo)) {
    errors.logoUrl = 'A secure web address (https://…) or a path on the portal (/…).';
  }
  const launches = rate(f.launchesPerMinute);
  if (launches) errors.launchesPerMinute = launches;
  const requests = rate(f.requestsPerMinute);
  if (requests) errors.requestsPerMinute = requests;
  return errors;
}

/** A note (not an error) when the browser will not show the logo under the portal's Content-Security-Policy. */
export function logoWarning(url: string, origin: string): string | null {
  const u = url.trim();
  if (!u || logoSrc(u, origin)) return null;
  return "Browsers show images only from the portal itself (the portal's Content-Security-Policy), so this logo will not appear. Serve it from the portal and give its path (/…).";
}

export function settingsBody(f: SettingsForm): Settings {
  return {
    branding: { productName: f.productName.trim(), accentColor: normalizeHex(f.accentColor), logoUrl: f.logoUrl.trim() || null },
    rateLimits: { launchesPerMinute: Number(f.launchesPerMinute.trim()), requestsPerMinute: Number(f.requestsPerMinute.trim()) },
  };
}
