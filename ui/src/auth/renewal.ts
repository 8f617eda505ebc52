/**
 * When to sign in again. Access tokens live minutes and the provider issues no refresh token to
 * the browser, so renewal is a full-page round trip through the provider, which answers at once
 * from its own session cookie. A round trip throws away what the page holds (a half-filled form,
 * an open terminal), so it is only started early while nothing would be lost; otherwise the page
 * waits, and the first refused request after expiry starts it.
 */

/** How long before expiry an idle page renews: enough for the round trip on a slow link. */
export const RENEW_LEAD_MS = 45_000;
/** How often a busy page looks again whether it has become idle. */
export const BUSY_RECHECK_MS = 5_000;

export type RenewalPlan = { kind: 'wait'; delayMs: number } | { kind: 'renew' };

export function planRenewal(expiresAt: number, now: number, busy: boolean): RenewalPlan {
  const due = expiresAt - RENEW_LEAD_MS;
  if (now < due) {
    return { kind: 'wait', delayMs: due - now };
  }
  return busy ? { kind: 'wait', delayMs: BUSY_RECHECK_MS } : { kind: 'renew' };
}

/**
 * A token that was refused within this long of arriving is not renewed by another round trip:
 * the provider would hand out the same kind of token and the page would bounce for ever.
 */
export const FRESH_TOKEN_MS = 15_000;

export function shouldRenewOnUnauthorized(obtainedAt: number, now: number): boolean {
  return now - obtainedAt >= FRESH_TOKEN_MS;
}

/**
 * What on the page would be lost by a reload. Components hold a claim while they have unsaved
 * input, an open terminal or a command in flight.
 */
export class BusyRegistry {
  private readonly claims = new Set<symbol>();

  hold(reason: string): () => void {
    const claim = Symbol(reason);
    this.claims.add(claim);
    return () => {
      this.claims.delete(claim);
    };
  }

  get busy(): boolean {
    return this.claims.size > 0;
  }
}

export const busyRegistry = new BusyRegistry();
