// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import {
  applyToDocument, contrastRatio, DEFAULT_BRANDING, fetchBranding, isHexColor, logoSrc, normalizeHex, sanitizeBranding, textOn,
} from './branding';

describe('branding', () => {
  it('falls back silently when the portal has no branding', async () => {
    const notFound = vi.fn(async () => new Response('{"code":"not-found"}', { status: 404, headers: { 'Content-Type': 'application/problem+json' } }));
    expect(await fetchBranding(notFound)).toBeNull();
    expect(await fetchBranding(vi.fn(async () => { throw new TypeError('offline'); }))).toBeNull();
    expect(await fetchBranding(vi.fn(async () => new Response('<html>', { status: 200, headers: { 'Content-Type': 'text/html' } })))).toBeNull();
  });

  it('reads the branding without a token', async () => {
    const fetchFn = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => new Response(
      JSON.stringify({ productName: ' Acme Dev ', accentColor: '#C0FFEE', logoUrl: '/logo.svg' }),
      { headers: { 'Content-Type': 'application/json' } }));
    expect(await fetchBranding(fetchFn)).toEqual({ productName: 'Acme Dev', accentColor: '#c0ffee', logoUrl: '/logo.svg' });
    const init = fetchFn.mock.calls[0][1];
    expect(new Headers(init?.headers).has('Authorization')).toBe(false);
  });

  it('keeps defaults for anything malformed', () => {
    expect(sanitizeBranding({ productName: '', accentColor: 'red; background: url(x)', logoUrl: 3 })).toEqual(DEFAULT_BRANDING);
    expect(sanitizeBranding(null)).toEqual(DEFAULT_BRANDING);
    expect(sanitizeBranding({ productName: 'x'.repeat(61) }).productName).toBe('RDE Portal');
  });

  it('checks colours and picks readable button text', () => {
    expect(isHexColor('#abc')).toBe(true);
    expect(isHexColor('#abcd')).toBe(false);
    expect(isHexColor('blue')).toBe(false);
    expect(normalizeHex('#ABC')).toBe('#aabbcc');
    expect(textOn('#1f5fbf')).toBe('#ffffff');
    expect(textOn('#ffd84d')).toBe('#0b1220');
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 0);
  });

  it('shows only logos the Content-Security-Policy admits', () => {
    const origin = 'https://portal.example.com';
    expect(logoSrc('/static/logo.svg', origin)).toBe('/static/logo.svg');
    expect(logoSrc('https://portal.example.com/logo.png', origin)).toBe('https://portal.example.com/logo.png');
    expect(logoSrc('data:image/png;base64,AAAA', origin)).toBe('data:image/png;base64,AAAA');
    expect(logoSrc('https://cdn.example.net/logo.png', origin)).toBeNull();
    expect(logoSrc('//cdn.example.net/logo.png', origin)).toBeNull();
    expect(logoSrc('javascript:alert(1)', origin)).toBeNull();
    expect(logoSrc('data:text/html,<b>', origin)).toBeNull();
    expect(logoSrc(null, origin)).toBeNull();
  });

  it('sets the accent and the title', () => {
    document.title = 'Members · RDE Portal';
    applyToDocument({ productName: 'Acme Dev', accentColor: '#ffd84d', logoUrl: null });
    expect(document.documentElement.style.getPropertyValue('--accent')).toBe('#ffd84d');
    expect(document.documentElement.style.getPropertyValue('--accent-text')).toBe('#0b1220');
    expect(document.title).toBe('Members · Acme Dev');
    applyToDocument(DEFAULT_BRANDING);
    expect(document.documentElement.style.getPropertyValue('--accent')).toBe('');
    expect(document.title).toBe('Members · RDE Portal');
  });
});
