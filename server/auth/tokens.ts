/**
 * Signs and verifies the server's JWTs (ES256, with jose): access tokens for the FHIR API and
 * OpenID Connect id tokens. The key pair lives in the database, so tokens survive a restart and
 * several servers on one PostgreSQL accept each other's tokens.
 */
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { opaqueToken } from './secrets';
import type { AuthStore } from './authStore';

export const SIGNING_ALGORITHM = 'ES256';
const ALGORITHM = SIGNING_ALGORITHM;
const ACCESS_TOKEN_TYPE = 'at+jwt';
/** Access tokens remembered as verified; a client reuses its token for every request until it expires. */
const VERIFIED_TOKENS_KEPT = 1_000;
const EXPIRED = 'The access token has expired: get a new one.';
/** An id token is accepted as a sign-out hint this long after it expired: longer than any sign-in lasts. */
const ID_TOKEN_HINT_TOLERANCE_SECONDS = 24 * 60 * 60;

export interface AccessTokenClaims {
  sub: string;
  client_id: string;
  scope: string;
  /** The patient in context: the signed-in patient, or the one a staff launch opened. */
  patient?: string;
  fhirUser?: string;
  /** The signed-in person's name (a staff member's display name), for the record of who did what. */
  name?: string;
}

export interface Audience {
  issuer: string;
  audience: string;
  now: Date;
}

/** Why a presented token was refused; the message is safe to show the client. */
export class TokenRejected extends Error {
  constructor(
    readonly reason: 'expired' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

async function newKey(): Promise<{ kid: string; jwk: JWK }> {
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
  return { kid, jwk: { ...jwk, kid } };
}

function publicPart(jwk: JWK): JWK {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, kid: jwk.kid, alg: ALGORITHM, use: 'sig' };
}

type VerifiedClaims = AccessTokenClaims & { exp: number };

/** Access tokens already verified for an issuer and audience, with their claims, least recently used first. */
class VerifiedTokens {
  private readonly entries = new Map<string, VerifiedClaims>();

  get(key: string): VerifiedClaims | undefined {
    const claims = this.entries.get(key);
    if (claims) {
      this.entries.delete(key);
      this.entries.set(key, claims);
    }
    return claims;
  }

  set(key: string, claims: VerifiedClaims): void {
    this.entries.set(key, claims);
    if (this.entries.size > VERIFIED_TOKENS_KEPT) this.entries.delete(this.entries.keys().next().value as string);
  }
}

export class TokenSigner {
  /** One key set for every verification: jose imports each key once per set, which is most of a verification's cost. */
  private readonly verificationKeys: ReturnType<typeof createLocalJWKSet>;
  /**
   * An ES256 verification is most of what a small request costs: a token's signature and claims never
   * change, so only its expiry is checked again. (Tokens are not revocable before they expire anyway.)
   */
  private readonly verified = new VerifiedTokens();

  private constructor(
    private readonly kid: string,
    private readonly privateKey: CryptoKey,
    private readonly publicKeys: JWK[],
  ) {
    this.verificationKeys = createLocalJWKSet({ keys: publicKeys });
  }

  static async open(store: AuthStore): Promise<TokenSigner> {
    const keys = (await store.signingKeys(newKey)).map((key) => key.jwk as JWK);
    const signing = keys[0];
    return new TokenSigner(
      signing.kid as string,
      (await importJWK(signing, ALGORITHM)) as CryptoKey,
      keys.map(publicPart),
    );
  }

  /** The JWK Set published at /auth/jwks. */
  jwks(): { keys: JWK[] } {
    return { keys: this.publicKeys };
  }

  private sign(
    payload: JWTPayload,
    type: string,
    audience: string,
    issuer: string,
    now: Date,
    lifetimeSeconds: number,
  ): Promise<string> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    return new SignJWT(payload)
      .setProtectedHeader({ alg: ALGORITHM, kid: this.kid, typ: type })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + lifetimeSeconds)
      .setJti(opaqueToken())
      .sign(this.privateKey);
  }

  signAccessToken(claims: AccessTokenClaims, where: Audience, lifetimeSeconds: number): Promise<string> {
    return this.sign({ ...claims }, ACCESS_TOKEN_TYPE, where.audience, where.issuer, where.now, lifetimeSeconds);
  }

  signIdToken(
    claims: { sub: string; fhirUser?: string; name?: string },
    clientId: string,
    issuer: string,
    now: Date,
    lifetimeSeconds: number,
  ): Promise<string> {
    return this.sign({ ...claims }, 'JWT', clientId, issuer, now, lifetimeSeconds);
  }

  /**
   * The subject of an id token this server issued to the client, expired or not (an id_token_hint
   * at sign-out is usually older than its lifetime), or undefined when it is not one.
   */
  async idTokenSubject(token: string, issuer: string, clientId: string): Promise<string | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.verificationKeys, {
        algorithms: [ALGORITHM],
        typ: 'JWT',
        issuer,
        audience: clientId,
        clockTolerance: ID_TOKEN_HINT_TOLERANCE_SECONDS,
      });
      return typeof payload.sub === 'string' ? payload.sub : undefined;
    } catch {
      return undefined;
    }
  }

  /** The claims of a valid access token for this FHIR server, or TokenRejected saying why not. */
  async verifyAccessToken(token: string, where: Audience): Promise<AccessTokenClaims> {
    const key = `${where.issuer} ${where.audience} ${token}`;
    const known = this.verified.get(key);
    if (known) {
      // Expired as jose counts it: once the current second reaches exp.
      if (known.exp <= Math.floor(where.now.getTime() / 1000)) throw new TokenRejected('expired', EXPIRED);
      return known;
    }
    try {
      const { payload } = await jwtVerify(token, this.verificationKeys, {
        algorithms: [ALGORITHM],
        typ: ACCESS_TOKEN_TYPE,
        issuer: where.issuer,
        audience: where.audience,
        currentDate: where.now,
        requiredClaims: ['exp', 'iat', 'sub', 'client_id', 'scope'],
      });
      if (
        typeof payload.scope !== 'string' ||
        typeof payload.client_id !== 'string' ||
        (payload.patient !== undefined && typeof payload.patient !== 'string') ||
        (payload.name !== undefined && typeof payload.name !== 'string')
      ) {
        throw new TokenRejected('invalid', "The access token's claims are malformed.");
      }
      // No not-before claim in this server's tokens: were one there, the cache would have to check it too.
      if (payload.nbf === undefined) this.verified.set(key, payload as unknown as VerifiedClaims);
      return payload as unknown as AccessTokenClaims;
    } catch (error) {
      if (error instanceof TokenRejected) throw error;
      if (error instanceof errors.JWTExpired) throw new TokenRejected('expired', EXPIRED);
      if (error instanceof errors.JWTClaimValidationFailed && (error.claim === 'aud' || error.claim === 'iss')) {
        throw new TokenRejected('invalid', 'The access token was issued for another server.');
      }
      throw new TokenRejected(
        'invalid',
        'The access token is not valid (malformed, tampered with, or not signed by this server).',
      );
    }
  }
}
