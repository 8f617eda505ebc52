import { describe, expect, it } from 'vitest';
import { BUSY_RECHECK_MS, BusyRegistry, planRenewal, RENEW_LEAD_MS, shouldRenewOnUnauthorized } from './renewal';

describe('renewal', () => {
  const expiresAt = 1_000_000;

  it('waits until shortly before expiry', () => {
    expect(planRenewal(expiresAt, expiresAt - 300_000, false)).toEqual({
      kind: 'wait',
      delayMs: 300_000 - RENEW_LEAD_MS,
    });
  });

  it('renews an idle page once the lead time is reached', () => {
    expect(planRenewal(expiresAt, expiresAt - RENEW_LEAD_MS, false)).toEqual({ kind: 'renew' });
  });

  it('keeps a busy page as it is and looks again later', () => {
    expect(planRenewal(expiresAt, expiresAt - 1_000, true)).toEqual({ kind: 'wait', delayMs: BUSY_RECHECK_MS });
    expect(planRenewal(expiresAt, expiresAt + 60_000, true)).toEqual({ kind: 'wait', delayMs: BUSY_RECHECK_MS });
  });

  it('does not bounce when a token is refused right after it arrived', () => {
    expect(shouldRenewOnUnauthorized(10_000, 12_000)).toBe(false);
    expect(shouldRenewOnUnauthorized(10_000, 10_000 + 240_000)).toBe(true);
  });

  it('is busy while any claim is held', () => {
    const registry = new BusyRegistry();
    const releaseForm = registry.hold('form');
    const releaseTerminal = registry.hold('terminal');
    releaseForm();
    expect(registry.busy).toBe(true);
    releaseTerminal();
    releaseTerminal();
    expect(registry.busy).toBe(false);
  });
});
