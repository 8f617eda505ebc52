import { describe, expect, it } from 'vitest';
import type { VerificationReport } from '../api/types';
import { activeFilterCount, auditParams, describeReport, isoToLocal, localToIso, NO_FILTERS, validateFilters } from './filters';

describe('audit filters', () => {
  it('turns local times into UTC instants and back', () => {
    const iso = localToIso('2026-11-29T10:30');
    expect(iso).toBe(new Date(2026, 10, 29, 10, 30).toISOString());
    expect(isoToLocal(iso!)).toBe('2026-11-29T10:30');
    expect(localToIso('')).toBeNull();
    expect(localToIso('yesterday')).toBeNull();
  });

  it('builds the query the portal takes, leaving blanks out', () => {
    const params = auditParams({ ...NO_FILTERS, actor: ' alice@example.com ', type: 'WorkspaceLaunchedEvent', from: '2026-11-29T10:30' });
    expect(params).toEqual({
      from: new Date(2026, 10, 29, 10, 30).toISOString(), to: null, actor: 'alice@example.com',
      type: 'WorkspaceLaunchedEvent', workspace: '',
    });
    expect(activeFilterCount(NO_FILTERS)).toBe(0);
    expect(activeFilterCount({ ...NO_FILTERS, actor: 'a', workspace: 'ws-1' })).toBe(2);
  });

  it('refuses a range that ends before it starts and event names the portal would refuse', () => {
    expect(validateFilters({ ...NO_FILTERS, from: '2026-11-29T10:30', to: '2026-11-29T10:30' }).to).toBe('"To" must be after "From".');
    expect(validateFilters({ ...NO_FILTERS, type: 'Workspace Launched' }).type).toBeDefined();
    expect(validateFilters({ ...NO_FILTERS, from: '2026-11-29T10:30', to: '2026-11-29T11:00', type: 'dev.rdeportal.X$Y' })).toEqual({});
  });
});

describe('verification report', () => {
  const base: VerificationReport = {
    intact: true, checked: 42, pending: 0, head: { sequence: 41, position: 41, link: 'ab' },
    firstDivergence: null, findings: [], truncated: false,
  };

  it('says ok with the head', () => {
    expect(describeReport(base)).toEqual({ tone: 'ok', headline: 'The audit history is intact.', detail: '42 links checked. The chain ends at sequence 41.' });
    expect(describeReport({ ...base, pending: 1 }).detail).toContain('1 newer event is not linked yet.');
  });

  it('names the first divergent sequence', () => {
    const finding = { sequence: 17, kind: 'altered', detail: 'payload changed' };
    const v = describeReport({ ...base, intact: false, firstDivergence: finding, findings: [finding, { sequence: 20, kind: 'deleted', detail: null }], truncated: true });
    expect(v.tone).toBe('bad');
    expect(v.headline).toBe('The audit history diverges at sequence 17: an event was altered.');
    expect(v.detail).toBe('2 findings (and more not listed); 42 links checked.');
  });
});
