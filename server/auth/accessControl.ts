/**
 * Every FHIR request but the public metadata must carry a valid access token of this server:
 * none is a 401 asking for one, a bad one (expired, tampered with, for another server) a 401
 * saying so, and one whose scopes do not cover the interaction a 403. The request's `access`
 * then decides, in the routes, what of the data it may see and change.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { issue, operationOutcome, type IssueCode } from '../../domain/operationOutcome';
import { resourceScopes, type Interaction } from '../../domain/smartScopes';
import { FHIR_JSON } from '../core/mediaTypes';
import { pathOf } from '../core/requestPath';
import { InsufficientScope, TokenAccess, type Access } from './access';
import { TokenRejected, type AccessTokenClaims, type TokenSigner } from './tokens';
import { serverUrls } from './urls';

declare module 'fastify' {
  interface FastifyRequest {
    /** What this request may see and do; set for every FHIR request when sign-in is on. */
    access?: Access;
    /** The verified access token's claims: who is signed in (http builds the services' Requester from them). */
    tokenClaims?: AccessTokenClaims;
  }
}

export const REALM = 'nz-appointments';

/** The conformance resources are public, like the CapabilityStatement that points at them. */
const PUBLIC_ROUTES = new Set([
  '/fhir/metadata',
  '/fhir/.well-known/smart-configuration',
  '/fhir/OperationDefinition/:id',
  '/fhir/StructureDefinition/:id',
]);

/** The FHIR interaction each route is, by method and route pattern. */
const INTERACTIONS: Record<string, Interaction> = {
  'GET /fhir/:type': 'search',
  'POST /fhir/:type/_search': 'search',
  'POST /fhir/:type': 'create',
  'GET /fhir/:type/:id': 'read',
  'PUT /fhir/:type/:id': 'update',
  'PATCH /fhir/:type/:id': 'update',
  'DELETE /fhir/:type/:id': 'delete',
  'GET /fhir/:type/:id/_history/:vid': 'vread',
  'GET /fhir/:type/:id/_history': 'vread',
  // SMART v2 counts history-type with search (the route narrows it to a patient's own).
  'GET /fhir/:type/_history': 'search',
  'POST /fhir/:type/:id/$cancel': 'update',
  'POST /fhir/:type/:id/$reschedule': 'update',
  'GET /fhir/Communication': 'search',
  'GET /fhir/Communication/:id': 'read',
};

function refuse(
  reply: FastifyReply,
  status: 401 | 403,
  code: IssueCode,
  diagnostics: string,
  challenge: string,
): FastifyReply {
  return reply
    .code(status)
    .header('WWW-Authenticate', challenge)
    .header('Cache-Control', 'no-store')
    .type(FHIR_JSON)
    .send(operationOutcome([issue(code, diagnostics)]));
}

export function isFhirPath(path: string): boolean {
  return path === '/fhir' || path.startsWith('/fhir/');
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header) : null;
  return match?.[1];
}

export function installAccessControl(
  app: FastifyInstance,
  options: { signer: TokenSigner; now: () => Date; publicBaseUrl?: string },
): void {
  app.decorateRequest('access', undefined);
  app.decorateRequest('tokenClaims', undefined);
  app.addHook('onRequest', async (request, reply) => {
    // Decided by the route the router matched (whatever form the request target took: an absolute
    // URL is routed like its path), or, for no route, by the path; never by a prefix of request.url.
    const route = request.routeOptions.url;
    if (!isFhirPath(route ?? pathOf(request))) return;
    if (route !== undefined && PUBLIC_ROUTES.has(route)) return;
    const token = bearerToken(request);
    if (token === undefined) {
      return refuse(
        reply,
        401,
        'login',
        'Sign in first: send an access token as "Authorization: Bearer <token>" (see /fhir/.well-known/smart-configuration).',
        `Bearer realm="${REALM}"`,
      );
    }
    const urls = serverUrls(request, options.publicBaseUrl);
    let claims: AccessTokenClaims;
    try {
      claims = await options.signer.verifyAccessToken(token, {
        issuer: urls.authBase,
        audience: urls.fhirBase,
        now: options.now(),
      });
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      return refuse(
        reply,
        401,
        error.reason === 'expired' ? 'expired' : 'login',
        error.message,
        `Bearer realm="${REALM}", error="invalid_token", error_description="${error.message.replace(/"/g, "'")}"`,
      );
    }
    const access = new TokenAccess(resourceScopes(claims.scope), claims.patient);
    request.access = access;
    request.tokenClaims = claims;
    if (route === undefined) return; // Not a route: it answers 404 to a signed-in caller.
    const interaction = INTERACTIONS[`${request.method === 'HEAD' ? 'GET' : request.method} ${route}`];
    // Communication has routes of its own (the outbox's emails), without a :type.
    const resourceType =
      (request.params as { type?: string }).type ??
      (route.startsWith('/fhir/Communication') ? 'Communication' : undefined);
    try {
      // A route this table does not know is allowed only to a token that may do everything.
      if (interaction === undefined || resourceType === undefined)
        for (const each of ['create', 'read', 'update', 'delete', 'search'] as const)
          access.requireInteraction('*', each);
      else access.requireInteraction(resourceType, interaction);
    } catch (error) {
      if (!(error instanceof InsufficientScope)) throw error;
      return refuse(reply, 403, 'forbidden', error.message, `Bearer realm="${REALM}", error="insufficient_scope"`);
    }
  });
}
