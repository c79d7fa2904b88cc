/**
 * The discovery documents: SMART App Launch's (`/.well-known/smart-configuration` under the FHIR
 * base) and OpenID Connect's (`/.well-known/openid-configuration` under the issuer, /auth), which
 * say the same about the endpoints and keys. Neither advertises
 * `authorization_response_iss_parameter_supported`: the authorization response carries no `iss`.
 */
import { CONTEXT_SCOPES, PATIENT_SCOPES, STAFF_SCOPES, SYSTEM_SCOPES } from './grantedScopes';
import { SIGNING_ALGORITHM as ID_TOKEN_ALGORITHM } from './tokens';
import type { ServerUrls } from './urls';

export interface OAuthEndpoints {
  authorize: string;
  token: string;
}

export function oauthEndpoints(urls: ServerUrls): OAuthEndpoints {
  return { authorize: `${urls.authBase}/authorize`, token: `${urls.authBase}/token` };
}

/** `none`: a public client (PKCE); the secret ways for the machine client and registered confidential apps. */
const TOKEN_ENDPOINT_AUTH_METHODS = ['none', 'client_secret_basic', 'client_secret_post'];

export function smartConfiguration(urls: ServerUrls, clientCredentialsOn: boolean) {
  const endpoints = oauthEndpoints(urls);
  return {
    issuer: urls.authBase,
    jwks_uri: `${urls.authBase}/jwks`,
    authorization_endpoint: endpoints.authorize,
    token_endpoint: endpoints.token,
    // OpenID's name for it: where an app signing out ends the sign-in session too.
    end_session_endpoint: `${urls.authBase}/sign-out`,
    grant_types_supported: [
      'authorization_code',
      ...(clientCredentialsOn ? ['client_credentials'] : []),
      'refresh_token',
    ],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
    scopes_supported: [
      ...STAFF_SCOPES.split(' '),
      ...PATIENT_SCOPES.split(' '),
      'patient/*.cruds',
      ...SYSTEM_SCOPES.split(' '),
      ...CONTEXT_SCOPES,
    ],
    capabilities: [
      'launch-ehr',
      'launch-standalone',
      'client-public',
      'client-confidential-symmetric',
      'sso-openid-connect',
      'context-ehr-patient',
      'context-standalone-patient',
      'context-banner',
      'permission-online',
      'permission-patient',
      'permission-user',
      'permission-v2',
    ],
  };
}

/** OpenID Connect Discovery 1.0 for the id tokens the token endpoint issues when `openid` is granted. */
export function openidConfiguration(urls: ServerUrls, clientCredentialsOn: boolean) {
  const smart = smartConfiguration(urls, clientCredentialsOn);
  return {
    issuer: smart.issuer,
    authorization_endpoint: smart.authorization_endpoint,
    token_endpoint: smart.token_endpoint,
    jwks_uri: smart.jwks_uri,
    end_session_endpoint: smart.end_session_endpoint,
    response_types_supported: smart.response_types_supported,
    grant_types_supported: smart.grant_types_supported,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [ID_TOKEN_ALGORITHM],
    scopes_supported: ['openid', 'fhirUser', 'offline_access', 'online_access'],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'name', 'fhirUser'],
    token_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
    code_challenge_methods_supported: smart.code_challenge_methods_supported,
  };
}
