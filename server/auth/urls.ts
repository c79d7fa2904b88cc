/**
 * The server's own absolute URLs, built like the FHIR routes build their base URL: from
 * PUBLIC_BASE_URL (the FHIR base, ending in /fhir) when set, else from the request.
 */
import type { FastifyRequest } from 'fastify';

export interface ServerUrls {
  /** The FHIR base URL: the `aud` of access tokens. */
  fhirBase: string;
  /** Where the authorization endpoints live: the `iss` of tokens. */
  authBase: string;
  origin: string;
}

/** A URL in one spelling (default port dropped, no trailing slash), so two spellings compare equal. */
export function normalUrl(url: string): string {
  return new URL(url).href.replace(/\/+$/, '');
}

export function serverUrls(request: FastifyRequest, publicBaseUrl: string | undefined): ServerUrls {
  const fhirBase = normalUrl(publicBaseUrl ?? `${request.protocol}://${request.host}/fhir`);
  const origin = new URL(fhirBase).origin;
  const authBase = fhirBase.endsWith('/fhir') ? `${fhirBase.slice(0, -'/fhir'.length)}/auth` : `${origin}/auth`;
  return { fhirBase, authBase, origin };
}

/** The origin of a URL, or undefined when it is not an absolute http(s) URL. */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}
