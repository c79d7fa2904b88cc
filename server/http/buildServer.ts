import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import { issue, operationOutcome } from '../../domain/operationOutcome';
import type { PracticeRules } from '../../domain/practiceRules';
import { installAuth, type AuthOptions } from '../auth/installAuth';
import { FhirError } from '../core/fhirError';
import type { FhirStore } from '../storage/fhirStore';
import { installErrorHandling } from './errorHandling';
import { FHIR_JSON } from '../core/mediaTypes';
import { fhirRoutes } from './fhirRoutes';
import { applySecurityHeaders, installSecurityHeaders } from './securityHeaders';

export interface ServerOptions {
  store: FhirStore;
  timeZone: string;
  /** The clock; tests set it to book at a known time. */
  now?: () => Date;
  /** Built browser app to serve at `/`; omitted, only the API is served. */
  staticDir?: string;
  /** What the browser app is told in /config.json. */
  appConfig?: { fhirBaseUrl: string; facilityId: string | null; timeZone: string };
  publicBaseUrl?: string;
  bodyLimit?: number;
  logLevel?: string;
  /** SMART on FHIR sign-in, enforced on every FHIR request but the public metadata. */
  auth: AuthOptions;
  /** Origins whose pages may call the API from a browser (CORS_ORIGINS); empty or omitted, CORS stays off. */
  corsOrigins?: string[];
  /** What patients may book and change themselves; the defaults of domain.md when omitted. */
  practiceRules?: PracticeRules;
}

/** A host name or IP address literal, and an optional port. */
const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Hashed build assets never change; the favicon rarely does and browsers ask for it on every route
 * change; everything else (index.html above all) is revalidated so a new build is seen at once.
 */
function cacheControlFor(path: string): string {
  if (path.includes('/assets/')) return 'public, max-age=31536000, immutable';
  if (path.endsWith('/favicon.svg')) return 'public, max-age=86400';
  return 'no-cache';
}

const SOFTWARE = { name: 'nz-appointments FHIR server', version: '0.1.0' };

function parseForm(body: string): Record<string, string[]> {
  // No prototype: a parameter named hasOwnProperty or constructor must not find Object's.
  const values: Record<string, string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(body)) (values[name] ??= []).push(value);
  return values;
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    logger: { level: options.logLevel ?? 'warn' },
    routerOptions: { ignoreTrailingSlash: true },
    // URLs the router cannot even match (bad percent-encoding, a path segment longer than any id)
    // get the same OperationOutcome and headers as every other refusal.
    frameworkErrors: (error, _request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const [status, code, text] = tooLong ? [404, 'not-found', 'Nothing here: FHIR ids are at most 64 characters.'] : [400, 'invalid', 'The URL could not be read (bad percent-encoding).'];
      applySecurityHeaders(reply).code(status).type(FHIR_JSON).send(operationOutcome([issue(code as 'not-found' | 'invalid', text)]));
    },
  });
  installErrorHandling(app);
  installSecurityHeaders(app);
  if (options.corsOrigins && options.corsOrigins.length > 0) {
    // First, so a preflight (which carries no token) is answered before access control sees it.
    await app.register(fastifyCors, {
      origin: options.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH'],
      allowedHeaders: ['Accept', 'Authorization', 'Content-Type', 'If-Match', 'Prefer', 'mt-facilityid'],
      exposedHeaders: ['Location', 'ETag', 'Last-Modified', 'Content-Location'],
      maxAge: 600,
    });
  }

  const jsonParser = app.getDefaultJsonParser('error', 'error');
  // Only JSON is a FHIR body here; Fastify's default text/plain parser would let a JSON body in unlabelled.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  // An empty body is left for the route to judge, so a DELETE sent with a JSON content type still gets its 405.
  app.addContentTypeParser(['application/json', 'application/fhir+json'], { parseAs: 'string' }, (request, body, done) =>
    body.length === 0 ? done(null, undefined) : jsonParser(request, String(body), done),
  );
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, parseForm(String(body))));

  app.addHook('onRequest', async (request) => {
    // Absolute URLs (Location, Bundle links, token audiences) are built from the Host header.
    if (options.publicBaseUrl === undefined && !HOST_HEADER.test(request.host)) {
      throw FhirError.of(400, 'invalid', 'The Host header is not a host name (and port).');
    }
    if (!request.url.startsWith('/fhir')) return;
    const accept = String(request.headers.accept ?? '*/*');
    if (!/json|\*\/\*|application\/\*/.test(accept)) throw FhirError.of(406, 'not-supported', 'This server answers in JSON only (application/fhir+json).');
    const format = new URL(request.url, 'http://local').searchParams.get('_format');
    if (format !== null && !/json/.test(format)) throw FhirError.of(406, 'not-supported', 'This server answers in JSON only (_format=json).');
  });

  const now = options.now ?? (() => new Date());
  // Before the FHIR routes, so each of their requests passes the access check.
  const auth = await installAuth(app, { ...options.auth, fhirStore: options.store, now, publicBaseUrl: options.publicBaseUrl });

  await app.register(fhirRoutes, {
    prefix: '/fhir',
    store: options.store,
    timeZone: options.timeZone,
    now,
    publicBaseUrl: options.publicBaseUrl,
    software: SOFTWARE,
    oauthEndpoints: auth.endpointsFor,
    practiceRules: options.practiceRules,
  });

  app.get('/config.json', async (_request, reply) =>
    reply.header('Cache-Control', 'no-cache').send(options.appConfig ?? { fhirBaseUrl: '/fhir', facilityId: null, timeZone: options.timeZone }),
  );

  const staticDir = options.staticDir;
  const hasApp = staticDir !== undefined && existsSync(join(staticDir, 'index.html'));
  if (hasApp) {
    await app.register(fastifyStatic, {
      root: staticDir,
      wildcard: false,
      // Off, or its own `public, max-age=0` would replace the header set here.
      cacheControl: false,
      setHeaders: (res, path) => res.setHeader('Cache-Control', cacheControlFor(path)),
    });
  }

  app.setNotFoundHandler(async (request, reply) => {
    const isPage = request.method === 'GET' && !request.url.startsWith('/fhir') && String(request.headers.accept ?? '').includes('text/html');
    if (isPage && hasApp) return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
    const path = request.url.split('?')[0].slice(0, 200);
    throw FhirError.of(404, 'not-found', request.url.startsWith('/fhir') ? `${request.method} ${path} is not a FHIR interaction this server supports.` : `Nothing at ${path}.`);
  });
  return app;
}
