/**
 * SMART App Launch discovery: `{fhirBase}/.well-known/smart-configuration` names the authorization
 * and token endpoints. A server that publishes none (404, or no usable JSON) is an open server,
 * used without sign-in; a server that cannot be reached or fails is not taken to be open.
 */
import type { TabCache } from '../../../lib/config';

export interface SmartEndpoints {
  /** The authorization server's issuer, which its redirects name in `iss` (RFC 9207). */
  issuer?: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** Where signing out ends the server's sign-in session, when it publishes one. */
  endSessionEndpoint?: string;
}

export type Discovery = { kind: 'smart'; endpoints: SmartEndpoints } | { kind: 'open' };

export class DiscoveryFailed extends Error {}

function absoluteUrl(value: unknown, base: URL): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    const url = new URL(value, base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function parseSmartConfiguration(raw: unknown, base: URL): SmartEndpoints | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const value = raw as Record<string, unknown>;
  const authorizationEndpoint = absoluteUrl(value.authorization_endpoint, base);
  const tokenEndpoint = absoluteUrl(value.token_endpoint, base);
  if (!authorizationEndpoint || !tokenEndpoint) return undefined;
  const issuer = typeof value.issuer === 'string' && value.issuer !== '' ? value.issuer : undefined;
  const endSessionEndpoint = absoluteUrl(value.end_session_endpoint, base);
  return {
    authorizationEndpoint,
    tokenEndpoint,
    ...(issuer ? { issuer } : {}),
    ...(endSessionEndpoint ? { endSessionEndpoint } : {}),
  };
}

const cacheKey = (fhirBase: URL) => `nz-appointments.smart-discovery ${fhirBase.href}`;

function cachedDiscovery(cache: TabCache | undefined, fhirBase: URL): Discovery | undefined {
  try {
    const stored = JSON.parse(cache?.getItem(cacheKey(fhirBase)) ?? 'null') as Discovery | null;
    if (stored?.kind === 'open') return stored;
    if (stored?.kind !== 'smart') return undefined;
    const { authorizationEndpoint, tokenEndpoint, issuer, endSessionEndpoint } = stored.endpoints;
    const endpoints = parseSmartConfiguration(
      {
        authorization_endpoint: authorizationEndpoint,
        token_endpoint: tokenEndpoint,
        issuer,
        end_session_endpoint: endSessionEndpoint,
      },
      fhirBase,
    );
    return endpoints ? { kind: 'smart', endpoints } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `fhirBase` ends in a slash. With a cache the server is asked once per tab, not on each page load of
 * the sign-in round trip; a failure is not kept, so the next page load asks again.
 */
export async function discoverSmart(
  fhirBase: URL,
  fetchFn: typeof fetch = fetch,
  cache?: TabCache,
): Promise<Discovery> {
  const cached = cachedDiscovery(cache, fhirBase);
  if (cached) return cached;
  const found = await askServer(fhirBase, fetchFn);
  try {
    cache?.setItem(cacheKey(fhirBase), JSON.stringify(found));
  } catch {
    // A full or refused storage costs one more request next page load, nothing else.
  }
  return found;
}

async function askServer(fhirBase: URL, fetchFn: typeof fetch): Promise<Discovery> {
  let response: Response;
  try {
    response = await fetchFn(new URL('.well-known/smart-configuration', fhirBase), {
      headers: { Accept: 'application/json' },
    });
  } catch {
    throw new DiscoveryFailed('The FHIR server cannot be reached. Check the connection, then try again.');
  }
  if (response.status >= 500)
    throw new DiscoveryFailed(
      `The FHIR server failed (${response.status}) when asked how to sign in. Try again in a moment.`,
    );
  if (!response.ok) return { kind: 'open' };
  let raw: unknown;
  try {
    raw = await response.json();
  } catch {
    return { kind: 'open' };
  }
  const endpoints = parseSmartConfiguration(raw, fhirBase);
  return endpoints ? { kind: 'smart', endpoints } : { kind: 'open' };
}
