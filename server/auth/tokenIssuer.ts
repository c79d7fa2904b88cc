/**
 * Issues what the token endpoint hands out: access tokens (short-lived JWTs), rotating refresh
 * tokens bound to the client and the sign-in, and id tokens when `openid` was granted.
 */
import { scopeList } from '../../domain/smartScopes';
import type { AuthStore, GrantLinks } from './authStore';
import type { SignedInUser } from './grantedScopes';
import { opaqueToken, tokenDigest } from './secrets';
import type { AccessTokenClaims, TokenSigner } from './tokens';
import type { ServerUrls } from './urls';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
  patient?: string;
  need_patient_banner?: boolean;
}

/** What a code or refresh token stands for: who signed in, for which client, with what grant. */
export interface UserGrant {
  clientId: string;
  user: SignedInUser;
  scope: string;
  /** The patient a staff launch opened. */
  launchPatient?: string;
  /** When the sign-in ends: refresh tokens never outlive it. */
  signedInUntil: string;
}

export interface CodeGrant extends UserGrant {
  redirectUri: string;
  codeChallenge: string;
}

export class TokenIssuer {
  constructor(
    private readonly signer: TokenSigner,
    private readonly store: AuthStore,
    private readonly accessTokenSeconds: number,
  ) {}

  /** Tokens for a signed-in user; the refresh token joins the family and session in `links`. */
  async forUser(grant: UserGrant, urls: ServerUrls, now: Date, links: GrantLinks): Promise<TokenResponse> {
    const { user } = grant;
    const patient = user.kind === 'patient' ? user.patientId : grant.launchPatient;
    const scopes = scopeList(grant.scope);
    const record = user.kind === 'patient' ? `Patient/${user.patientId}` : user.fhirUser;
    const fhirUser = record && scopes.includes('fhirUser') ? `${urls.fhirBase}/${record}` : undefined;
    const subject = user.kind === 'patient' ? `patient:${user.patientId}` : `staff:${user.username}`;
    const claims: AccessTokenClaims = {
      sub: subject,
      client_id: grant.clientId,
      scope: grant.scope,
      ...(patient ? { patient } : {}),
      ...(fhirUser ? { fhirUser } : {}),
      name: user.displayName,
    };
    const refreshToken = opaqueToken();
    await this.store.putGrant('refresh', tokenDigest(refreshToken), grant, new Date(grant.signedInUntil), now, links);
    return {
      access_token: await this.signer.signAccessToken(
        claims,
        { issuer: urls.authBase, audience: urls.fhirBase, now },
        this.accessTokenSeconds,
      ),
      token_type: 'Bearer',
      expires_in: this.accessTokenSeconds,
      scope: grant.scope,
      refresh_token: refreshToken,
      ...(scopes.includes('openid')
        ? {
            id_token: await this.signer.signIdToken(
              { sub: subject, name: user.displayName, ...(fhirUser ? { fhirUser } : {}) },
              grant.clientId,
              urls.authBase,
              now,
              this.accessTokenSeconds,
            ),
          }
        : {}),
      ...(patient ? { patient, need_patient_banner: user.kind !== 'patient' } : {}),
    };
  }

  async forSystem(clientId: string, scope: string, urls: ServerUrls, now: Date): Promise<TokenResponse> {
    const claims: AccessTokenClaims = { sub: `client:${clientId}`, client_id: clientId, scope };
    return {
      access_token: await this.signer.signAccessToken(
        claims,
        { issuer: urls.authBase, audience: urls.fhirBase, now },
        this.accessTokenSeconds,
      ),
      token_type: 'Bearer',
      expires_in: this.accessTokenSeconds,
      scope,
    };
  }
}
