/**
 * Password and portal-code hashes (scrypt, salted, parameters kept in the hash so they can be raised
 * later), opaque random tokens, and comparisons that take the same time whether or not they match.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 };

function scryptAsync(secret: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolveKey, reject) =>
    scrypt(secret, salt, keyLength, options, (error, key) => (error ? reject(error) : resolveKey(key))),
  );
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret.normalize('NFC'), salt, SCRYPT.keyLength, {
    N: SCRYPT.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
    maxmem: 64 * 1024 * 1024,
  });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Whether the secret matches the hash. Without a hash (no such account) a throwaway one is checked,
 * so an unknown account takes as long to refuse as a wrong password.
 */
export async function verifySecret(secret: string, stored: string | undefined): Promise<boolean> {
  const parts = (stored ?? (await throwawayHash())).split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  const key = await scryptAsync(secret.normalize('NFC'), salt, expected.length, { N, r, p, maxmem: 64 * 1024 * 1024 });
  return timingSafeEqual(key, expected) && stored !== undefined;
}

let throwaway: Promise<string> | undefined;
function throwawayHash(): Promise<string> {
  throwaway ??= hashSecret(randomBytes(16).toString('base64url'));
  return throwaway;
}

/** An unguessable opaque token (256 bits) for codes, refresh tokens, sessions and launch contexts. */
export function opaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** How an opaque token is stored: its SHA-256, so a copy of the database does not hand out live tokens. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Equality of two strings in time independent of where they differ (and of their lengths). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}

/** The PKCE S256 challenge of a code verifier (RFC 7636). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
