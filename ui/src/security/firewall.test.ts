import { describe, expect, it } from 'vitest';
import {
  draftsFrom, evaluate, formatIp, hasErrors, newDraft, parseCidr, parseIp, precedence, removeDraft, rulesToSend,
  sameRules, updateDraft, validateRules,
} from './firewall';

const rules = (...r: [string, string][]) => r.map(([action, cidr]) => ({ action: action as 'allow' | 'deny', cidr }));

describe('addresses and networks', () => {
  it('parses IPv4 strictly and IPv6 in its usual forms', () => {
    expect(parseIp('10.1.2.3')).toEqual([10, 1, 2, 3]);
    expect(parseIp('010.1.1.1')).toBeNull();
    expect(parseIp('10.1')).toBeNull();
    expect(parseIp('example.com')).toBeNull();
    expect(formatIp(parseIp('2001:DB8:0:0:0:0:0:1')!)).toBe('2001:db8::1');
    expect(formatIp(parseIp('[::1]')!)).toBe('::1');
    expect(parseIp('::ffff:10.0.0.1')).toEqual([10, 0, 0, 1]);
    expect(parseIp('1::2::3')).toBeNull();
    expect(parseIp('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseIp('fe80::1%eth0')).toBeNull();
  });

  it('takes networks the portal takes and says why it refuses the others', () => {
    expect(parseCidr('10.0.0.0/8')).toMatchObject({ canonical: '10.0.0.0/8', prefix: 8 });
    expect(parseCidr(' 192.0.2.7 ')).toMatchObject({ canonical: '192.0.2.7/32' });
    expect(parseCidr('2001:DB8:0::/32')).toMatchObject({ canonical: '2001:db8::/32' });
    expect(parseCidr('10.0.0.1/8')).toBe('"10.0.0.1/8" has bits set past its prefix; the network is 10.0.0.0/8.');
    expect(parseCidr('10.0.0.0/33')).toBe('The prefix length of "10.0.0.0/33" must be 0 to 32.');
    expect(parseCidr('::ffff:10.0.0.0/104')).toContain('write it as IPv4');
    expect(parseCidr('intranet')).toBe('"intranet" is not an IPv4 or IPv6 address.');
    expect(parseCidr('')).toContain('A network is required');
  });
});

describe('rule editing', () => {
  it('adds, changes and removes rules, and sends canonical networks', () => {
    let drafts = draftsFrom([{ action: 'allow', cidr: '10.0.0.0/8', note: 'office' }]);
    const added = newDraft();
    drafts = [...drafts, added];
    drafts = updateDraft(drafts, added.key, { cidr: '2001:DB8::/32', note: '  ' });
    expect(rulesToSend(drafts)).toEqual([
      { action: 'allow', cidr: '10.0.0.0/8', note: 'office' },
      { action: 'deny', cidr: '2001:db8::/32', note: null },
    ]);
    expect(sameRules(drafts, [{ action: 'allow', cidr: '10.0.0.0/8', note: 'office' }])).toBe(false);
    drafts = removeDraft(drafts, added.key);
    expect(sameRules(drafts, [{ action: 'allow', cidr: '10.0.0.0/8', note: 'office' }])).toBe(true);
  });

  it('marks bad networks, repeated networks and long notes on their row', () => {
    const drafts = draftsFrom([
      { action: 'allow', cidr: '10.0.0.0/8', note: null },
      { action: 'deny', cidr: '10.0.0.0/8 ', note: null },
      { action: 'deny', cidr: 'nope', note: null },
      { action: 'deny', cidr: '192.0.2.0/24', note: 'x'.repeat(201) },
    ]);
    const errors = validateRules(drafts);
    expect(errors.rows[drafts[0].key]).toBeUndefined();
    expect(errors.rows[drafts[1].key]).toBe('10.0.0.0/8 is already rule 1; a network may appear once.');
    expect(errors.rows[drafts[2].key]).toContain('not an IPv4 or IPv6 address');
    expect(errors.rows[drafts[3].key]).toContain('at most 200');
    expect(hasErrors(errors)).toBe(true);
    expect(hasErrors(validateRules(drafts.slice(0, 1)))).toBe(false);
  });
});

describe('precedence, as the portal decides', () => {
  it('allows everything without rules', () => {
    expect(evaluate([], '203.0.113.9')).toMatchObject({ allowed: true, rule: null });
  });

  it('lets the most specific rule decide, whatever the order', () => {
    const set = rules(['deny', '10.0.0.0/8'], ['allow', '10.1.0.0/16']);
    expect(evaluate(set, '10.1.2.3')).toMatchObject({ allowed: true, rule: 1 });
    expect(evaluate(set, '10.2.0.1')).toMatchObject({ allowed: false, rule: 0 });
    expect(evaluate([...set].reverse(), '10.1.2.3')).toMatchObject({ allowed: true, rule: 0 });
    expect(precedence(set)).toEqual([1, 0]);
  });

  it('lets deny win on an equal prefix', () => {
    const set = rules(['allow', '192.0.2.0/24'], ['deny', '192.0.2.0/24']);
    expect(precedence(set)).toEqual([1, 0]);
    expect(evaluate(set, '192.0.2.10')).toMatchObject({ allowed: false, rule: 1 });
  });

  it('turns into an allow list with one allow rule', () => {
    expect(evaluate(rules(['allow', '10.0.0.0/8']), '203.0.113.9')).toMatchObject({ allowed: false, rule: null });
    expect(evaluate(rules(['deny', '10.0.0.0/8']), '203.0.113.9')).toMatchObject({ allowed: true, rule: null });
  });

  it('keeps IPv4 and IPv6 apart, and reads mapped addresses as IPv4', () => {
    const set = rules(['deny', '10.0.0.0/8'], ['allow', '::/0']);
    expect(evaluate(set, '::ffff:10.0.0.1')).toMatchObject({ allowed: false, rule: 0 });
    expect(evaluate(set, '2001:db8::1')).toMatchObject({ allowed: true, rule: 1 });
    expect(evaluate(set, '192.0.2.1')).toMatchObject({ allowed: false, rule: null });
    expect(evaluate(set, 'nope')).toBe('"nope" is not an IPv4 or IPv6 address.');
  });

  it('skips rules that do not parse yet', () => {
    expect(evaluate(rules(['deny', '10.0.0.0/'], ['deny', '192.0.2.0/24']), '10.0.0.1')).toMatchObject({ allowed: true });
  });
});
