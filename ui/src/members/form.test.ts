import { describe, expect, it } from 'vitest';
import { describeLimit, EMPTY_MEMBER, memberForm, memberPath, memberRequest, parseLimit, validateMember } from './form';

describe('member form', () => {
  it('accepts a new member and builds the PUT body', () => {
    const form = { ...EMPTY_MEMBER, email: ' Carol@Example.com ', trusted: true, limit: '3' };
    expect(validateMember(form)).toEqual({});
    expect(memberRequest(form)).toEqual({ role: 'user', trusted: true, workspaceLimit: 3 });
    expect(memberPath(form.email)).toBe('/api/v1/members/carol%40example.com');
  });

  it('reads a blank limit as the organisation default', () => {
    expect(parseLimit('')).toBeNull();
    expect(parseLimit('  ')).toBeNull();
    expect(memberRequest({ ...EMPTY_MEMBER, email: 'a@x.io' }).workspaceLimit).toBeNull();
    expect(parseLimit('0')).toBe(0);
    expect(parseLimit('1000')).toBe(1000);
  });

  it('refuses what the portal refuses', () => {
    expect(validateMember({ ...EMPTY_MEMBER, email: '', limit: '-1' })).toEqual({
      email: 'Enter the email address the person signs in with.',
      limit: 'A whole number such as 3, or empty for the organisation default.',
    });
    expect(validateMember({ ...EMPTY_MEMBER, email: 'not an email' }).email).toBe('"not an email" is not an email address.');
    expect(validateMember({ ...EMPTY_MEMBER, email: 'a@x.io', limit: '1001' }).limit).toBe('At most 1000.');
    expect(validateMember({ ...EMPTY_MEMBER, email: 'a@x.io', limit: '2.5' }).limit).toBeDefined();
  });

  it('round-trips a member', () => {
    const member = { email: 'a@x.io', role: 'admin' as const, trusted: false, workspaceLimit: null };
    expect(memberForm(member)).toEqual({ email: 'a@x.io', role: 'admin', trusted: false, limit: '' });
    expect(memberRequest(memberForm({ ...member, workspaceLimit: 0 }))).toEqual({ role: 'admin', trusted: false, workspaceLimit: 0 });
  });

  it('describes limits', () => {
    expect(describeLimit(null)).toBe('Default');
    expect(describeLimit(0)).toBe('None (may not run any)');
    expect(describeLimit(4)).toBe('4');
  });
});
