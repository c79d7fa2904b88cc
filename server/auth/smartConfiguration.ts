/** The SMART App Launch discovery document (`/.well-known/smart-configuration` under the FHIR base). */
import { CONTEXT_SCOPES, PATIENT_SCOPES, STAFF_SCOPES, SYSTEM_SCOPES } from './grantedScopes';
import type { ServerUrls } from './urls';

export interface OAuthEndpoints {
  authorize: string;
  token: string;
}

export function oauthEndpoints(urls: ServerUrls): OAuthEndpoints {
  return { authorize: `${urls.authBase}/authorize`, token: `${urls.authBase}/token` };
}

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
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
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
