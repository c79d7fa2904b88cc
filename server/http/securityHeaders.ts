import type { FastifyInstance, FastifyReply } from 'fastify';
import { pathOf } from '../core/requestPath';

/**
 * The browser app is plain static files talking to FHIR servers, so it needs no inline script,
 * no frames and nothing from other origins but the FHIR server it is configured for.
 */
export function contentSecurityPolicy(fhirBaseUrl: string | undefined): string {
  let fhirOrigin: string | undefined;
  try {
    // A relative base (the default /fhir) is this origin; an absolute one is the only other the app may call.
    fhirOrigin = fhirBaseUrl && /^https?:\/\//i.test(fhirBaseUrl) ? new URL(fhirBaseUrl).origin : undefined;
  } catch {
    fhirOrigin = undefined;
  }
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${fhirOrigin ? ` ${fhirOrigin}` : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

/** For replies that skip the hooks (Fastify's own answers to URLs its router cannot read). */
export function applySecurityHeaders(reply: FastifyReply, policy: string): FastifyReply {
  return reply
    .header('Content-Security-Policy', policy)
    .header('X-Content-Type-Options', 'nosniff')
    .header('X-Frame-Options', 'DENY')
    .header('Referrer-Policy', 'no-referrer')
    .header('Cross-Origin-Opener-Policy', 'same-origin');
}

/** Responses that may be kept by caches: the public discovery documents, the key set, the sign-in stylesheet. */
const CACHEABLE = new Set([
  '/fhir/metadata',
  '/fhir/.well-known/smart-configuration',
  '/auth/jwks',
  '/auth/sign-in.css',
]);

export function installSecurityHeaders(app: FastifyInstance, policy: string): void {
  app.addHook('onSend', async (request, reply, payload) => {
    applySecurityHeaders(reply, policy);
    // Patient data and tokens are never kept by a browser's or a proxy's cache.
    const path = pathOf(request);
    if ((path === '/fhir' || path.startsWith('/fhir/') || path.startsWith('/auth/')) && !CACHEABLE.has(path))
      reply.header('Cache-Control', 'no-store');
    return payload;
  });
}
