/**
 * The signed-in session of this page: the tokens (in memory only, gone with the page), renewal
 * by a full-page round trip through the identity provider, and sign-out.
 */
import {
  beginSignIn,
  completeSignIn,
  discover,
  isAuthorizationResponse,
  isSignOutResponse,
  signOutUrl,
  SignInError,
  type AuthConfig,
  type ProviderMetadata,
  type Tokens,
} from './oidc';
import { busyRegistry, planRenewal, shouldRenewOnUnauthorized } from './renewal';

function currentRoute(): string {
  return window.location.pathname + window.location.search + window.location.hash;
}

export class Session {
  private renewing = false;

  constructor(
    private readonly config: AuthConfig,
    private readonly metadata: ProviderMetadata,
    private readonly tokens: Tokens,
  ) {}

  get accessToken(): string {
    return this.tokens.accessToken;
  }

  get email(): string | null {
    return this.tokens.email;
  }

  get issuer(): string {
    return this.config.issuer;
  }

  /** Leaves for the provider and comes back to the same route with fresh tokens. */
  renew(): void {
    if (this.renewing) {
      return;
    }
    this.renewing = true;
    void redirectToSignIn(this.config, this.metadata, currentRoute());
  }

  /**
   * A request was refused with 401. Renew, unless the token is brand new: then the portal refuses
   * what the provider issues, and another round trip would only loop.
   */
  handleUnauthorized(): boolean {
    if (!shouldRenewOnUnauthorized(this.tokens.obtainedAt, Date.now())) {
      return false;
    }
    this.renew();
    return true;
  }

  /** Renews ahead of expiry while the page has nothing to lose; returns a cancel function. */
  scheduleRenewal(): () => void {
    let timer: number | undefined;
    const check = () => {
      const plan = planRenewal(this.tokens.expiresAt, Date.now(), busyRegistry.busy);
      if (plan.kind === 'renew') {
        this.renew();
      } else {
        timer = window.setTimeout(check, plan.delayMs);
      }
    };
    check();
    return () => window.clearTimeout(timer);
  }

  signOut(): void {
    const url = signOutUrl(this.metadata, this.tokens.idToken, window.location.origin);
    // Forget the tokens by leaving the page: nothing else holds them.
    window.location.assign(url ?? '/');
  }
}

async function redirectToSignIn(config: AuthConfig, metadata: ProviderMetadata, returnTo: string): Promise<void> {
  const url = await beginSignIn(config, metadata, window.location.origin, returnTo, window.sessionStorage);
  window.location.assign(url);
}

export type Boot =
  | { kind: 'signed-in'; session: Session }
  | { kind: 'signed-out'; signIn: () => void }
  | { kind: 'redirecting' }
  | { kind: 'failed'; message: string; signIn?: () => void };

async function loadAuthConfig(): Promise<AuthConfig> {
  let response: Response;
  try {
    response = await fetch('/api/v1/auth/config', { headers: { Accept: 'application/json' } });
  } catch {
    throw new SignInError('The portal cannot be reached. Check your connection and reload the page.');
  }
  if (!response.ok) {
    throw new SignInError(`The portal did not say where to sign in (HTTP ${response.status}). Reload the page.`);
  }
  return (await response.json()) as AuthConfig;
}

/**
 * Decides what this page load is: the provider's answer to sign-in or sign-out, or a fresh visit,
 * which signs in at once (the provider skips the password while its own session lasts).
 */
export async function boot(): Promise<Boot> {
  try {
    const config = await loadAuthConfig();
    const metadata = await discover(config.issuer);
    const url = new URL(window.location.href);
    const signIn = (returnTo = '/') => void redirectToSignIn(config, metadata, returnTo);
    if (isAuthorizationResponse(url)) {
      try {
        const { tokens, returnTo } = await completeSignIn(
          url, config, metadata, window.location.origin, window.sessionStorage);
        // The code and state must not stay in the address bar or the history.
        window.history.replaceState(null, '', returnTo);
        return { kind: 'signed-in', session: new Session(config, metadata, tokens) };
      } catch (e) {
        window.history.replaceState(null, '', '/');
        return { kind: 'failed', message: (e as Error).message, signIn: () => signIn() };
      }
    }
    if (isSignOutResponse(url)) {
      window.history.replaceState(null, '', '/');
      return { kind: 'signed-out', signIn: () => signIn() };
    }
    await redirectToSignIn(config, metadata, currentRoute());
    return { kind: 'redirecting' };
  } catch (e) {
    return { kind: 'failed', message: (e as Error).message };
  }
}
