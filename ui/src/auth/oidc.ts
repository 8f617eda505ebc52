/**
 * OpenID Connect sign-in for a public browser client: authorization code + PKCE (S256).
 *
 * Tokens are only ever held in memory by the caller. The browser keeps one thing across the
 * redirect to the identity provider: the transaction (verifier, state, nonce, where to return),
 * in sessionStorage under a key named by its state, and it is deleted the moment the provider
 * sends the browser back, before the code is even exchanged.
 */
import { codeChallengeS256, createCodeVerifier, randomToken } from './pkce';

/** `GET /api/v1/auth/config`. */
export interface AuthConfig {
  issuer: string;
  clientId: string;
  audience: string;
}

/** The parts of the provider's discovery document this client uses. */
export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

export interface Tokens {
  accessToken: string;
  idToken: string | null;
  /** Epoch millis, by this browser's clock: when the access token stops being accepted. */
  expiresAt: number;
  /** Epoch millis: when this browser received them (guards against sign-in loops). */
  obtainedAt: number;
  email: string | null;
}

interface Transaction {
  state: string;
  verifier: string;
  nonce: string;
  returnTo: string;
}

export class SignInError extends Error {
  override name = 'SignInError';
}

const TRANSACTION_PREFIX = 'rde.ui.signin.';
/** `state` of an RP-initiated logout, so the landing page can tell it apart from a fresh visit. */
export const SIGNED_OUT_STATE_PREFIX = 'signed-out.';

/** The registered redirect URI: the portal's origin with path `/`. */
export function redirectUriFor(origin: string): string {
  return `${origin}/`;
}

export async function discover(issuer: string, fetchFn: typeof fetch = fetch): Promise<ProviderMetadata> {
  const base = issuer.replace(/\/+$/, '');
  let response: Response;
  try {
    response = await fetchFn(`${base}/.well-known/openid-configuration`, { headers: { Accept: 'application/json' } });
  } catch {
    throw new SignInError(`The sign-in service at ${base} cannot be reached.`);
  }
  if (!response.ok) {
    throw new SignInError(`The sign-in service at ${base} answered ${response.status} to discovery.`);
  }
  const metadata = (await response.json()) as ProviderMetadata;
  // OIDC Discovery section 4.3: the document must name the issuer it was fetched for.
  if (metadata.issuer.replace(/\/+$/, '') !== base) {
    throw new SignInError(`The sign-in service describes itself as ${metadata.issuer}, not ${base}.`);
  }
  return metadata;
}

/** Only a path on this origin may be returned to: anything else would be an open redirect. */
export function safeReturnPath(path: string | null | undefined): string {
  if (!path || !path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) {
    return '/';
  }
  return path;
}

/** Builds the authorization request and stores its transaction for the round trip. */
export async function beginSignIn(
  config: AuthConfig,
  metadata: ProviderMetadata,
  origin: string,
  returnTo: string,
  storage: Storage,
): Promise<string> {
  const transaction: Transaction = {
    state: randomToken(),
    verifier: createCodeVerifier(),
    nonce: randomToken(),
    returnTo: safeReturnPath(returnTo),
  };
  storage.setItem(TRANSACTION_PREFIX + transaction.state, JSON.stringify(transaction));
  const url = new URL(metadata.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUriFor(origin),
    scope: 'openid profile email',
    state: transaction.state,
    nonce: transaction.nonce,
    code_challenge: await codeChallengeS256(transaction.verifier),
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

/** True when the page was loaded as the provider's answer to an authorization request. */
export function isAuthorizationResponse(url: URL): boolean {
  const params = url.searchParams;
  return params.has('state') && (params.has('code') || params.has('error'));
}

/** True when the page was loaded as the provider's answer to sign-out. */
export function isSignOutResponse(url: URL): boolean {
  return (url.searchParams.get('state') ?? '').startsWith(SIGNED_OUT_STATE_PREFIX) && !url.searchParams.has('code');
}

/** Takes the transaction out of storage: every pending one goes, so none outlives the round trip. */
function takeTransaction(storage: Storage, state: string): Transaction | null {
  const raw = storage.getItem(TRANSACTION_PREFIX + state);
  for (let i = storage.length - 1; i >= 0; i--) {
    const key = storage.key(i);
    if (key?.startsWith(TRANSACTION_PREFIX)) {
      storage.removeItem(key);
    }
  }
  return raw ? (JSON.parse(raw) as Transaction) : null;
}

export function decodeJwtPayload(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1];
  if (!part) {
    throw new SignInError('The sign-in service returned a malformed token.');
  }
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
  id_token?: string;
}

/**
 * Completes sign-in from the provider's redirect: checks state, exchanges the code with the
 * verifier, and checks the ID token's nonce, issuer and audience. The ID token comes straight from
 * the token endpoint over the channel the browser opened, so its signature is not re-checked here
 * (OIDC Core 3.1.3.7); the portal verifies every access token it is shown.
 */
export async function completeSignIn(
  url: URL,
  config: AuthConfig,
  metadata: ProviderMetadata,
  origin: string,
  storage: Storage,
  fetchFn: typeof fetch = fetch,
  now: () => number = Date.now,
): Promise<{ tokens: Tokens; returnTo: string }> {
  const state = url.searchParams.get('state') ?? '';
  const transaction = takeTransaction(storage, state);
  if (!transaction || transaction.state !== state) {
    throw new SignInError('This sign-in answer does not belong to a sign-in started here. Sign in again.');
  }
  const error = url.searchParams.get('error');
  if (error) {
    const description = url.searchParams.get('error_description');
    throw new SignInError(`Sign-in was refused (${error})${description ? `: ${description}` : ''}.`);
  }
  const started = now();
  let response: Response;
  try {
    response = await fetchFn(metadata.token_endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: url.searchParams.get('code') ?? '',
        redirect_uri: redirectUriFor(origin),
        client_id: config.clientId,
        code_verifier: transaction.verifier,
      }),
    });
  } catch {
    throw new SignInError('The sign-in service could not be reached to finish signing in.');
  }
  if (!response.ok) {
    throw new SignInError(`The sign-in service refused to finish signing in (HTTP ${response.status}).`);
  }
  const body = (await response.json()) as TokenResponse;
  if (!body.access_token || body.token_type.toLowerCase() !== 'bearer') {
    throw new SignInError('The sign-in service did not return a bearer token.');
  }
  let email: string | null = null;
  if (body.id_token) {
    const claims = decodeJwtPayload(body.id_token);
    const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (claims.nonce !== transaction.nonce || claims.iss !== metadata.issuer || !audience.includes(config.clientId)) {
      throw new SignInError('The sign-in answer did not match the request. Sign in again.');
    }
    email = typeof claims.email === 'string' ? claims.email : typeof claims.sub === 'string' ? claims.sub : null;
  }
  // Count the lifetime from before the request went out, so skew can only make it shorter.
  const lifetimeSeconds = body.expires_in ?? 300;
  return {
    tokens: {
      accessToken: body.access_token,
      idToken: body.id_token ?? null,
      expiresAt: started + lifetimeSeconds * 1000,
      obtainedAt: now(),
      email,
    },
    returnTo: safeReturnPath(transaction.returnTo),
  };
}

/** RP-initiated logout (OIDC RP-Initiated Logout 1.0), or null when the provider has none. */
export function signOutUrl(metadata: ProviderMetadata, idToken: string | null, origin: string): string | null {
  if (!metadata.end_session_endpoint) {
    return null;
  }
  const url = new URL(metadata.end_session_endpoint);
  const params = new URLSearchParams({
    post_logout_redirect_uri: redirectUriFor(origin),
    state: SIGNED_OUT_STATE_PREFIX + randomToken(16),
  });
  if (idToken) {
    params.set('id_token_hint', idToken);
  }
  url.search = params.toString();
  return url.toString();
}
