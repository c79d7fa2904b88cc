import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyCors from '@fastify/cors';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import { issue, operationOutcome } from '../../domain/operationOutcome';
import { isFhirPath } from '../auth/accessControl';
import { DEFAULT_PRACTICE_RULES, type PracticeRules } from '../../domain/practiceRules';
import { installAuth, type AuthOptions } from '../auth/installAuth';
import { pathOf } from '../core/requestPath';
import { FhirError } from '../core/fhirError';
import type { FhirStore } from '../storage/fhirStore';
import type { SqlOutbox } from '../storage/outbox';
import { installErrorHandling } from './errorHandling';
import { FHIR_JSON } from '../core/mediaTypes';
import { checkJsonDepth, checkParameters, checkUrlLength, LIMITS } from './requestLimits';
import { fhirRoutes } from './fhirRoutes';
import { applySecurityHeaders, contentSecurityPolicy, installSecurityHeaders } from './securityHeaders';

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
  /** The emails' outbox, readable as Communication resources (the desk's Messages page). */
  outbox?: SqlOutbox;
  /** Whether the outbox is being sent (SMTP_URL set); otherwise messages wait in it. */
  mailSending?: boolean;
  /** REMINDER_HOURS_BEFORE: when a booking's reminder email goes; 24 when omitted. */
  reminderHoursBefore?: number;
  /** TRUST_PROXY: the reverse proxies whose X-Forwarded-* headers give the client's address and scheme. */
  trustedProxies?: string[];
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

/**
 * What browser FHIR clients (this app, fhirclient, MedplumClient, fhir-kit-client) send and read:
 * every REST interaction's method, the conditional and Prefer headers, Medplum's marker header and
 * the facility header; and the headers a client reads back (versions, where a created resource is,
 * why a token or request was refused, when to try again).
 */
const FHIR_CLIENT_CORS = {
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  allowedHeaders: [
    'Accept',
    'Authorization',
    'Content-Type',
    'If-Match',
    'If-None-Match',
    'If-None-Exist',
    'If-Modified-Since',
    'Prefer',
    'X-Medplum',
    'mt-facilityid',
  ],
  exposedHeaders: ['ETag', 'Location', 'Content-Location', 'Last-Modified', 'WWW-Authenticate', 'Retry-After'],
  maxAge: 600,
};

type SchemaCompilers = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
const fastifyRequire = createRequire(createRequire(import.meta.url).resolve('fastify'));
/**
 * Fastify's own schema compilers, loaded when a route first has a schema. Fastify loads Ajv and
 * fast-json-stringify as it is created (a tenth of a second of every start); no route has a schema.
 */
const SCHEMA_COMPILERS = {
  buildValidator: (...args: unknown[]) => fastifyRequire('@fastify/ajv-compiler')()(...args),
  buildSerializer: (...args: unknown[]) => fastifyRequire('@fastify/fast-json-stringify-compiler')()(...args),
} as SchemaCompilers;

/** Loopback names the server answers to when it has no PUBLIC_BASE_URL (it listens on loopback only then). */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const csp = contentSecurityPolicy(options.appConfig?.fhirBaseUrl);
  // The one Host this server is, so no request can make it write another origin into its URLs.
  const publicHost =
    options.publicBaseUrl === undefined ? undefined : new URL(options.publicBaseUrl).host.toLowerCase();
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    logger: { level: options.logLevel ?? 'warn' },
    routerOptions: { ignoreTrailingSlash: true },
    schemaController: { compilersFactory: SCHEMA_COMPILERS },
    trustProxy: options.trustedProxies?.length ? options.trustedProxies : false,
    // URLs the router cannot even match (bad percent-encoding, a path segment longer than any id)
    // get the same OperationOutcome and headers as every other refusal.
    frameworkErrors: (error, _request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const [status, code, text] = tooLong
        ? [404, 'not-found', 'Nothing here: FHIR ids are at most 64 characters.']
        : [400, 'invalid', 'The URL could not be read (bad percent-encoding).'];
      applySecurityHeaders(reply, csp)
        .code(status)
        .type(FHIR_JSON)
        .send(operationOutcome([issue(code as 'not-found' | 'invalid', text)]));
    },
  });
  installErrorHandling(app);
  installSecurityHeaders(app, csp);
  if (options.corsOrigins && options.corsOrigins.length > 0) {
    // First, so a preflight (which carries no token) is answered before access control sees it.
    await app.register(fastifyCors, { origin: options.corsOrigins, ...FHIR_CLIENT_CORS });
  }

  const jsonParser = app.getDefaultJsonParser('error', 'error');
  // Only JSON is a FHIR body here; Fastify's default text/plain parser would let a JSON body in unlabelled.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  // An empty body is left for the route to judge, so a DELETE sent with a JSON content type still gets its 405.
  app.addContentTypeParser(
    ['application/json', 'application/fhir+json'],
    { parseAs: 'string' },
    (request, body, done) => {
      if (body.length === 0) return done(null, undefined);
      try {
        // Before parsing: a body nested thousands deep would exhaust the stack of whatever walks it.
        checkJsonDepth(String(body));
      } catch (error) {
        return done(error as Error, undefined);
      }
      // Fastify's own words name application/json whatever was sent: ours name what was.
      jsonParser(request, String(body), (error, parsed) =>
        error
          ? done(
              FhirError.of(
                400,
                'structure',
                `The ${String(request.headers['content-type']).split(';')[0].slice(0, 80)} body could not be read as JSON.`,
              ),
              undefined,
            )
          : done(null, parsed),
      );
    },
  );
  // Form bodies (`_search`, the sign-in form, the token request): parsed into an object without a
  // prototype (a parameter named constructor finds nothing of Object's), values repeated as arrays.
  await app.register(fastifyFormbody, { bodyLimit: LIMITS.formBodyBytes });
  app.addHook('preValidation', async (request) => {
    if (String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
      checkParameters(request.body as Record<string, string | string[]> | undefined);
  });

  app.addHook('onRequest', async (request) => {
    // First of all: how much the request asks for, before anything works on it.
    checkUrlLength(request.raw.url ?? '');
    checkParameters(request.query as Record<string, string | string[]>);
    // Absolute URLs (Location, Bundle links, token audiences, redirects) are built from the Host
    // header when PUBLIC_BASE_URL is unset: only loopback names then (a Host of evil.example must
    // not get discovery documents and redirects naming it), and only the public host when it is set.
    if (!HOST_HEADER.test(request.host))
      throw FhirError.of(400, 'invalid', 'The Host header is not a host name (and port).');
    const pinned =
      publicHost === undefined ? LOOPBACK_HOST.test(request.host) : request.host.toLowerCase() === publicHost;
    if (!pinned)
      throw FhirError.of(
        421,
        'forbidden',
        `This server does not answer for ${request.host.slice(0, 100)}${publicHost ? `; it is ${publicHost}` : ''}.`,
      );
    if (!isFhirPath(pathOf(request))) return;
    const accept = String(request.headers.accept ?? '*/*');
    if (!/json|\*\/\*|application\/\*/.test(accept))
      throw FhirError.of(406, 'not-supported', 'This server answers in JSON only (application/fhir+json).');
    const format = new URL(request.url, 'http://local').searchParams.get('_format');
    if (format !== null && !/json/.test(format))
      throw FhirError.of(406, 'not-supported', 'This server answers in JSON only (_format=json).');
  });

  const now = options.now ?? (() => new Date());
  // Before the FHIR routes, so each of their requests passes the access check.
  const auth = await installAuth(app, {
    ...options.auth,
    fhirStore: options.store,
    now,
    publicBaseUrl: options.publicBaseUrl,
  });

  await app.register(fhirRoutes, {
    prefix: '/fhir',
    store: options.store,
    timeZone: options.timeZone,
    now,
    publicBaseUrl: options.publicBaseUrl,
    software: SOFTWARE,
    oauthEndpoints: auth.endpointsFor,
    practiceRules: options.practiceRules,
    outbox: options.outbox,
    mailSending: options.mailSending,
    reminderHoursBefore: options.reminderHoursBefore,
  });

  // The app hides "Cancel" and "Reschedule" past the patients' cut-off; this server refuses them then too.
  app.get('/config.json', async (_request, reply) =>
    reply.header('Cache-Control', 'no-cache').send({
      ...(options.appConfig ?? { fhirBaseUrl: '/fhir', facilityId: null, timeZone: options.timeZone }),
      patientChangeCutoffMinutes: (options.practiceRules ?? DEFAULT_PRACTICE_RULES).cancelCutoffMinutes,
    }),
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
      // The build's source maps hold the whole source: not served (they answer 404 like anything absent).
      allowedPath: (path) => !path.endsWith('.map'),
    });
  }

  app.setNotFoundHandler(async (request, reply) => {
    const fullPath = pathOf(request);
    const isPage =
      request.method === 'GET' && !isFhirPath(fullPath) && String(request.headers.accept ?? '').includes('text/html');
    if (isPage && hasApp) return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
    const path = fullPath.slice(0, 200);
    throw FhirError.of(
      404,
      'not-found',
      isFhirPath(fullPath)
        ? `${request.method} ${path} is not a FHIR interaction this server supports.`
        : `Nothing at ${path}.`,
    );
  });
  return app;
}
