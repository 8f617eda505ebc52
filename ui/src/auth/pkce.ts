/**
 * PKCE (RFC 7636) with the S256 method, and the random values OIDC needs (state, nonce).
 * Web Crypto only: the browser and Node 20 both provide it.
 */

/** base64url without padding (RFC 4648 section 5), as RFC 7636 appendix A prescribes. */
export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A base64url string of {@code byteLength} random bytes: 32 bytes give 43 characters, 256 bits. */
export function randomToken(byteLength = 32): string {
  const bytes = new Uint8Array(byteLength);
  crypto.getRandomValues(bytes);
  return base64UrlEncode(bytes);
}

/** A code verifier: 43 characters from the unreserved set, the shortest RFC 7636 allows. */
export function createCodeVerifier(): string {
  return randomToken(32);
}

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** BASE64URL(SHA256(ASCII(verifier))). */
export async function codeChallengeS256(verifier: string): Promise<string> {
  if (!VERIFIER.test(verifier)) {
    throw new Error('a PKCE code verifier is 43 to 128 unreserved characters');
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64UrlEncode(new Uint8Array(digest));
}
