import { describe, expect, it } from 'vitest';
import { logoWarning, settingsBody, settingsForm, validateSettings } from './form';

const settings = {
  branding: { productName: 'Acme Dev', accentColor: '#1f5fbf', logoUrl: null },
  rateLimits: { launchesPerMinute: 10, requestsPerMinute: 600 },
};

describe('settings form', () => {
  it('round-trips the settings', () => {
    const form = settingsForm(settings);
    expect(form).toEqual({ productName: 'Acme Dev', accentColor: '#1f5fbf', logoUrl: '', launchesPerMinute: '10', requestsPerMinute: '600' });
    expect(validateSettings(form)).toEqual({});
    expect(settingsBody({ ...form, accentColor: '#ABC', productName: ' Acme ' })).toEqual({
      branding: { productName: 'Acme', accentColor: '#aabbcc', logoUrl: null },
      rateLimits: { launchesPerMinute: 10, requestsPerMinute: 600 },
    });
  });

  it('says what to fix', () => {
    const errors = validateSettings({ productName: ' ', accentColor: 'blue', logoUrl: 'ftp://x', launchesPerMinute: '0', requestsPerMinute: '1.5' });
    expect(Object.keys(errors).sort()).toEqual(['accentColor', 'launchesPerMinute', 'logoUrl', 'productName', 'requestsPerMinute']);
    expect(validateSettings({ ...settingsForm(settings), requestsPerMinute: '100001' }).requestsPerMinute).toBe('At most 100,000.');
    expect(validateSettings({ ...settingsForm(settings), logoUrl: 'http://portal.example.com/logo.png' }).logoUrl).toBeDefined();
    expect(validateSettings({ ...settingsForm(settings), logoUrl: 'data:image/png;base64,AAAA' }).logoUrl).toBeDefined();
    expect(validateSettings({ ...settingsForm(settings), logoUrl: '/logo.svg' }).logoUrl).toBeUndefined();
  });

  it('warns about logos the browser would refuse', () => {
    expect(logoWarning('https://cdn.example.net/logo.png', 'https://portal.example.com')).toContain('will not appear');
    expect(logoWarning('/logo.svg', 'https://portal.example.com')).toBeNull();
    expect(logoWarning('', 'https://portal.example.com')).toBeNull();
  });
});
