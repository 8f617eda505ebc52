import { describe, expect, it } from 'vitest';
import { aclFrom, aclToSend, addEntries, describeAcl, OPEN_ACL, parseEntries, removeEntry, validateAcl } from './acl';

describe('blueprint ACL', () => {
  it('sorts pasted entries into emails and domains', () => {
    expect(parseEntries('Ada@Example.com, team.example.org\n@corp.example; *@lab.example  bob@x.io')).toEqual({
      entries: [
        { kind: 'email', value: 'ada@example.com' },
        { kind: 'domain', value: 'team.example.org' },
        { kind: 'domain', value: 'corp.example' },
        { kind: 'domain', value: 'lab.example' },
        { kind: 'email', value: 'bob@x.io' },
      ],
      errors: [],
      rejected: [],
    });
  });

  it('takes addresses copied from a mail client', () => {
    expect(parseEntries('Ada Admin <ada@example.com>, Bob <bob@example.com>').entries.map((e) => e.value))
      .toEqual(['ada@example.com', 'bob@example.com']);
  });

  it('explains entries the portal would refuse', () => {
    const parsed = parseEntries('ada@, -bad.example, exa_mple.com, @no_domain, ok.example');
    expect(parsed.entries).toEqual([{ kind: 'domain', value: 'ok.example' }]);
    expect(parsed.errors).toEqual([
      '"ada@" is not an email address.',
      '"-bad.example" is neither an email address nor an email domain.',
      '"exa_mple.com" is neither an email address nor an email domain.',
      '"@no_domain" is not an email domain such as @example.com.',
    ]);
    expect(parsed.rejected).toEqual(['ada@', '-bad.example', 'exa_mple.com', '@no_domain']);
  });

  it('adds each entry once and removes one', () => {
    const acl = addEntries({ mode: 'restricted', emails: ['a@x.io'], domains: [] },
      parseEntries('a@x.io b@x.io x.io x.io').entries);
    expect(acl).toEqual({ mode: 'restricted', emails: ['a@x.io', 'b@x.io'], domains: ['x.io'] });
    expect(removeEntry(acl, { kind: 'email', value: 'a@x.io' }).emails).toEqual(['b@x.io']);
    expect(removeEntry(acl, { kind: 'domain', value: 'x.io' }).domains).toEqual([]);
  });

  it('reads blueprints from before ACLs as open', () => {
    expect(aclFrom(null)).toEqual(OPEN_ACL);
    expect(aclFrom({ mode: 'restricted', emails: ['a@x.io'], domains: [] }))
      .toEqual({ mode: 'restricted', emails: ['a@x.io'], domains: [] });
  });

  it('blocks saving with an invalid pending entry and sends a valid one along', () => {
    const acl = { mode: 'restricted' as const, emails: [], domains: ['x.io'] };
    expect(validateAcl(acl, 'nope@')).toBe('"nope@" is not an email address.');
    expect(validateAcl(acl, 'c@y.io')).toBeNull();
    expect(aclToSend(acl, 'c@y.io')).toEqual({ mode: 'restricted', emails: ['c@y.io'], domains: ['x.io'] });
    const many = { mode: 'restricted' as const, emails: Array.from({ length: 500 }, (_, i) => `u${i}@x.io`), domains: [] };
    expect(validateAcl(many, 'one@more.io')).toContain('At most 500');
  });

  it('describes who may launch', () => {
    expect(describeAcl(undefined)).toBe('Every member');
    expect(describeAcl({ mode: 'restricted', emails: [], domains: [] })).toBe('Only administrators');
    expect(describeAcl({ mode: 'restricted', emails: ['a@x.io'], domains: ['x.io', 'y.io'] }))
      .toBe('Restricted to 1 person and 2 domains (and administrators)');
  });
});
