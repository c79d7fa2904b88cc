/**
 * The OAuth clients this server knows: the browser app (public, PKCE required, redirects only to
 * this server's origin or an origin the operator listed) and one confidential machine client whose
 * id and secret come from the environment.
 */
import { sameSecret } from './secrets';
import { originOf } from './urls';

export const APP_CLIENT_ID = 'nz-appointments-app';

export interface ConfidentialClient {
  id: string;
  secret: string;
}

export interface ClientRegistry {
  /** The machine client, or null when client_credentials is off. */
  staffClient: ConfidentialClient | null;
  /** Origins besides the server's own that the browser app may be redirected back to. */
  redirectOrigins: string[];
}

export function isAllowedRedirect(registry: ClientRegistry, redirectUri: string, serverOrigin: string): boolean {
  const origin = originOf(redirectUri);
  if (origin === undefined || redirectUri.includes('#')) return false;
  return origin === serverOrigin || registry.redirectOrigins.includes(origin);
}

export type ClientIdentity = { kind: 'app' } | { kind: 'staff'; id: string };

/** Who is calling the token endpoint, or undefined when the client is unknown or its secret wrong. */
export function authenticateClient(registry: ClientRegistry, clientId: string | undefined, secret: string | undefined): ClientIdentity | undefined {
  if (clientId === APP_CLIENT_ID) return secret === undefined ? { kind: 'app' } : undefined;
  const staff = registry.staffClient;
  if (!staff || clientId === undefined || secret === undefined) return undefined;
  // Both compared in full every time, so timing says nothing about which one was wrong.
  const idMatches = sameSecret(clientId, staff.id);
  const secretMatches = sameSecret(secret, staff.secret);
  return idMatches && secretMatches ? { kind: 'staff', id: staff.id } : undefined;
}
