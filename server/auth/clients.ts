/**
 * The OAuth clients this server knows: the browser app (public, PKCE required, registered with its
 * exact redirect URIs: its own pages on this server's origin and on each origin the operator listed,
 * plus any exact URIs configured) and one confidential machine client whose id and secret come from
 * the environment.
 */
import { sameSecret } from './secrets';

export const APP_CLIENT_ID = 'nz-appointments-app';
/** Where the browser app takes the sign-in answer, and where it lands after sign-out (src/features/auth). */
export const APP_SIGNED_IN_PATH = '/signed-in';
export const APP_SIGNED_OUT_PATH = '/signed-out';

export interface ConfidentialClient {
  id: string;
  secret: string;
}

export interface ClientRegistry {
  /** The machine client, or null when client_credentials is off. */
  staffClient: ConfidentialClient | null;
  /** Origins besides the server's own that the browser app is served from (its pages there are registered). */
  redirectOrigins: string[];
  /** Exact redirect URIs registered besides the app's own pages (SMART_REDIRECT_URIS). */
  redirectUris: string[];
}

/** The app's redirect URIs, exactly as registered: its page for `path` on every origin it is served from, and the configured ones. */
export function registeredRedirects(registry: ClientRegistry, serverOrigin: string, path: string): string[] {
  return [serverOrigin, ...registry.redirectOrigins].map((origin) => `${origin}${path}`).concat(registry.redirectUris);
}

/**
 * Whether a redirect_uri (or post_logout_redirect_uri) is one registered, compared as exact strings
 * with no normalisation (RFC 9700 2.1): another path, a query, user info, another spelling of the
 * host or port, all are other URIs.
 */
export function isAllowedRedirect(
  registry: ClientRegistry,
  redirectUri: string,
  serverOrigin: string,
  path: string = APP_SIGNED_IN_PATH,
): boolean {
  return registeredRedirects(registry, serverOrigin, path).includes(redirectUri);
}

export type ClientIdentity = { kind: 'app' } | { kind: 'staff'; id: string };

/** Who is calling the token endpoint, or undefined when the client is unknown or its secret wrong. */
export function authenticateClient(
  registry: ClientRegistry,
  clientId: string | undefined,
  secret: string | undefined,
): ClientIdentity | undefined {
  if (clientId === APP_CLIENT_ID) return secret === undefined ? { kind: 'app' } : undefined;
  const staff = registry.staffClient;
  if (!staff || clientId === undefined || secret === undefined) return undefined;
  // Both compared in full every time, so timing says nothing about which one was wrong.
  const idMatches = sameSecret(clientId, staff.id);
  const secretMatches = sameSecret(secret, staff.secret);
  return idMatches && secretMatches ? { kind: 'staff', id: staff.id } : undefined;
}
