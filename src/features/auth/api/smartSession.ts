/**
 * A signed-in session: the tokens, in memory only, renewed with the refresh token shortly before
 * they expire or when the server refuses one, and sign-in asked for again when renewal fails.
 */
import { resourceScopes } from '../../../../domain/smartScopes';
import type { FhirAuthorization } from '../../../lib/fhirClient';
import type { SmartEndpoints } from './smartDiscovery';
import { refreshTokens, TokenRequestFailed, type TokenSet } from './tokens';

/** Renew this long before expiry, so a request never leaves with a token about to lapse. */
export const RENEW_BEFORE_MS = 60_000;

/** What the app shows follows from what was granted, not from what was asked. */
export type SignedInRole =
  { kind: 'staff'; launchedPatient?: string } | { kind: 'patient'; patientId: string } | { kind: 'none' };

export function roleOf(tokens: Pick<TokenSet, 'scope' | 'patient'>): SignedInRole {
  const scopes = resourceScopes(tokens.scope);
  if (scopes.some((scope) => scope.context === 'user' || scope.context === 'system')) {
    return tokens.patient ? { kind: 'staff', launchedPatient: tokens.patient } : { kind: 'staff' };
  }
  if (tokens.patient && scopes.some((scope) => scope.context === 'patient'))
    return { kind: 'patient', patientId: tokens.patient };
  return { kind: 'none' };
}

export interface SmartSessionOptions {
  endpoints: SmartEndpoints;
  tokens: TokenSet;
  fetch: typeof fetch;
  now: () => number;
  /** Starts sign-in again (a redirect to the authorization endpoint, seamless while the server's session lasts). */
  signInAgain: () => void;
}

export class SmartSession implements FhirAuthorization {
  private tokens: TokenSet | null;
  private renewing: Promise<TokenSet | null> | null = null;
  readonly role: SignedInRole;
  readonly name: string | undefined;

  constructor(private readonly options: SmartSessionOptions) {
    this.tokens = options.tokens;
    this.role = roleOf(options.tokens);
    this.name = options.tokens.name;
  }

  get signedIn(): boolean {
    return this.tokens !== null;
  }

  async accessToken(): Promise<string | null> {
    const tokens = this.tokens;
    if (!tokens) return null;
    if (tokens.expiresAt - this.options.now() > RENEW_BEFORE_MS) return tokens.accessToken;
    return (await this.renew())?.accessToken ?? null;
  }

  async renewAfterRejection(rejected: string): Promise<string | null> {
    const tokens = this.tokens;
    if (!tokens) return null;
    // Another request renewed it meanwhile: use the newer token rather than renewing twice.
    if (tokens.accessToken !== rejected) return tokens.accessToken;
    return (await this.renew())?.accessToken ?? null;
  }

  /** One renewal at a time: refresh tokens rotate, so a second use of the old one would be refused. */
  private renew(): Promise<TokenSet | null> {
    this.renewing ??= this.refresh().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async refresh(): Promise<TokenSet | null> {
    const tokens = this.tokens;
    if (!tokens) return null;
    try {
      this.tokens = await refreshTokens(
        this.options.endpoints.tokenEndpoint,
        tokens,
        this.options.fetch,
        this.options.now,
      );
      return this.tokens;
    } catch (error) {
      if (!(error instanceof TokenRequestFailed)) throw error;
      // Unreachable: keep the tokens, the next request tries again. Refused: sign in again.
      if (!error.refused && tokens.expiresAt > this.options.now()) return tokens;
      this.tokens = null;
      this.options.signInAgain();
      return null;
    }
  }

  /** Forgets the tokens; the address that ends the server's session too (when it has one), coming back to `returnTo`. */
  signOut(returnTo: string): string {
    const idToken = this.tokens?.idToken;
    this.tokens = null;
    const end = this.options.endpoints.endSessionEndpoint;
    if (!end) return returnTo;
    const url = new URL(end);
    // Without the hint the server asks the person first (a link from elsewhere must not sign them out).
    if (idToken) url.searchParams.set('id_token_hint', idToken);
    url.searchParams.set('post_logout_redirect_uri', returnTo);
    return url.href;
  }
}
