/**
 * The OAuth clients this server knows: the browser app (public, PKCE required, registered with its
 * exact redirect URIs: its own pages on this server's origin and on each origin the operator listed,
 * plus any exact URIs configured), the SMART apps registered in SMART_CLIENTS_FILE
 * (registeredClients.ts), and one confidential machine client whose id and secret come from the
 * environment.
 */
import { PRODUCT_NAME } from '../../domain/product';
import { sameSecret } from './secrets';

export const APP_CLIENT_ID = 'nz-appointments-app';
export const APP_CLIENT_NAME = PRODUCT_NAME;
/** Where the browser app takes the sign-in answer, and where it lands after sign-out (src/features/auth). */
export const APP_SIGNED_IN_PATH = '/signed-in';
export const APP_SIGNED_OUT_PATH = '/signed-out';

export interface ConfidentialClient {
  id: string;
  secret: string;
}

/** A SMART app that signs people in with the authorization code flow (RFC 7591's metadata, read). */
export interface SmartClient {
  id: string;
  /** Shown on the sign-in page: who is asking. */
  name: string;
  /** A confidential client's secret (client_secret_basic); null for a public client, which proves itself with PKCE alone. */
  secret: string | null;
  /** Exact redirect URIs; empty for the built-in app, whose redirects depend on the request's origin. */
  redirectUris: string[];
  /** The most it may be granted; undefined: whatever the signed-in person may have. */
  scope?: string;
}

export interface ClientRegistry {
  /** The machine client, or null when client_credentials is off. */
  staffClient: ConfidentialClient | null;
  /** Origins besides the server's own that the browser app is served from (its pages there are registered). */
  redirectOrigins: string[];
  /** Exact redirect URIs registered besides the app's own pages (SMART_REDIRECT_URIS). */
  redirectUris: string[];
  /** Other SMART apps (SMART_CLIENTS_FILE). */
  smartClients: SmartClient[];
}

export const APP_CLIENT: SmartClient = { id: APP_CLIENT_ID, name: APP_CLIENT_NAME, secret: null, redirectUris: [] };

/** A client that signs people in, by id: the built-in app or a registered one. */
export function findSmartClient(
  registry: ClientRegistry,
  clientId: string | null | undefined,
): SmartClient | undefined {
  if (clientId === APP_CLIENT_ID) return APP_CLIENT;
  return registry.smartClients.find((client) => client.id === clientId);
}

/** The app's redirect URIs, exactly as registered: its page for `path` on every origin it is served from, and the configured ones. */
export function registeredRedirects(registry: ClientRegistry, serverOrigin: string, path: string): string[] {
  return [serverOrigin, ...registry.redirectOrigins].map((origin) => `${origin}${path}`).concat(registry.redirectUris);
}

/**
 * Whether a redirect_uri (or post_logout_redirect_uri) is one registered for the client, compared as
 * exact strings with no normalisation (RFC 9700 2.1): another path, a query, user info, another
 * spelling of the host or port, all are other URIs.
 */
export function isAllowedRedirect(
  registry: ClientRegistry,
  client: SmartClient,
  redirectUri: string,
  serverOrigin: string,
  path: string = APP_SIGNED_IN_PATH,
): boolean {
  const registered =
    client.id === APP_CLIENT_ID ? registeredRedirects(registry, serverOrigin, path) : client.redirectUris;
  return registered.includes(redirectUri);
}

/** Every exact redirect URI of the registered clients and the configured ones: the origins a browser app may be served from. */
export function exactRedirectUris(registry: ClientRegistry): string[] {
  return [...registry.redirectUris, ...registry.smartClients.flatMap((client) => client.redirectUris)];
}

export type ClientIdentity = { kind: 'smart'; client: SmartClient } | { kind: 'staff'; id: string };

export interface PresentedCredentials {
  clientId?: string;
  secret?: string;
  /** Whether the secret came by HTTP Basic (client_secret_basic). */
  basic: boolean;
}

/** Who is calling the token endpoint, or undefined when the client is unknown or its secret wrong. */
export function authenticateClient(
  registry: ClientRegistry,
  presented: PresentedCredentials,
): ClientIdentity | undefined {
  const { clientId, secret } = presented;
  const smart = findSmartClient(registry, clientId);
  if (smart) {
    if (smart.secret === null) return secret === undefined ? { kind: 'smart', client: smart } : undefined;
    // Registered for client_secret_basic: a secret sent any other way is refused (RFC 7591 2).
    return presented.basic && secret !== undefined && sameSecret(secret, smart.secret)
      ? { kind: 'smart', client: smart }
      : undefined;
  }
  const staff = registry.staffClient;
  if (!staff || clientId === undefined || secret === undefined) return undefined;
  // Both compared in full every time, so timing says nothing about which one was wrong.
  const idMatches = sameSecret(clientId, staff.id);
  const secretMatches = sameSecret(secret, staff.secret);
  return idMatches && secretMatches ? { kind: 'staff', id: staff.id } : undefined;
}
