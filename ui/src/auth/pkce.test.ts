import { describe, expect, it } from 'vitest';
import { base64UrlEncode, codeChallengeS256, createCodeVerifier, randomToken } from './pkce';

// RFC 7636 appendix B.
const RFC_OCTETS = [
  116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214,
  191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
];
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('PKCE', () => {
  it('encodes the RFC 7636 octets to its verifier', () => {
    expect(base64UrlEncode(new Uint8Array(RFC_OCTETS))).toBe(RFC_VERIFIER);
  });

  it('derives the RFC 7636 challenge from its verifier', async () => {
    await expect(codeChallengeS256(RFC_VERIFIER)).resolves.toBe(RFC_CHALLENGE);
  });

  it('makes verifiers of 43 unreserved characters that differ each time', () => {
    const a = createCodeVerifier();
    const b = createCodeVerifier();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });

  it('refuses a verifier too short to be one', async () => {
    await expect(codeChallengeS256('short')).rejects.toThrow(/43 to 128/);
  });

  it('never pads or uses the URL-unsafe alphabet', () => {
    expect(base64UrlEncode(new Uint8Array([251, 255]))).toBe('-_8');
    expect(randomToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
