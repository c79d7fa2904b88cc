/**
 * Makes the server a SMART on FHIR server: discovery, the sign-in page, the token endpoint, the
 * public keys, EHR launch contexts, and the access control every FHIR request goes through.
 * Call before the FHIR routes are registered, so their requests pass through the access hook.
 */
import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Patient } from 'fhir/r4';
import { isFhirId } from '../../domain/references';
import { FhirError } from '../core/fhirError';
import { pathOf } from '../core/requestPath';
import type { FhirStore } from '../storage/fhirStore';
import { bearerToken, installAccessControl } from './accessControl';
import type { AuthStore } from './authStore';
import { confirmSignOut, showSignIn, signOut, submitSignIn, type AuthorizeContext } from './authorizeEndpoint';
import { exactRedirectUris, type ClientRegistry, type ConfidentialClient, type SmartClient } from './clients';
import { opaqueToken, tokenDigest } from './secrets';
import { SignInThrottle } from './signInThrottle';
import { SIGN_IN_CSS } from './signInStyles';
import { oauthEndpoints, openidConfiguration, smartConfiguration, type OAuthEndpoints } from './smartConfiguration';
import { OAuthError, tokenRequest } from './tokenEndpoint';
import { TokenIssuer } from './tokenIssuer';
import { TokenRejected, TokenSigner } from './tokens';
import { originOf, serverUrls } from './urls';
import { permits, resourceScopes } from '../../domain/smartScopes';

export interface AuthOptions {
  store: AuthStore;
  /** The confidential machine client (client_credentials); null turns that grant off. */
  staffClient: ConfidentialClient | null;
  /** Origins besides the server's own the browser app may be served from (SMART_REDIRECT_ORIGINS). */
  redirectOrigins: string[];
  /** Exact redirect URIs besides the app's own pages (SMART_REDIRECT_URIS). */
  redirectUris?: string[];
  /** Other SMART apps that may sign people in (SMART_CLIENTS_FILE). */
  smartClients?: SmartClient[];
  accessTokenSeconds?: number;
  sessionSeconds?: number;
}

export interface InstalledAuth {
  /** The authorize and token URLs for a request, for the CapabilityStatement. */
  endpointsFor(request: FastifyRequest): OAuthEndpoints;
}

const LAUNCH_SECONDS = 300;

/** The origins a signed-in browser app may be served from: where its token requests come from. */
function appOrigins(registry: ClientRegistry): string[] {
  return [
    ...new Set(
      [...registry.redirectOrigins, ...exactRedirectUris(registry).map((uri) => originOf(uri) ?? '')].filter(Boolean),
    ),
  ];
}

function corsFor(request: FastifyRequest, reply: FastifyReply, origins: string[]): void {
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origins.includes(origin)) {
    reply.header('Access-Control-Allow-Origin', origin).header('Vary', 'Origin');
  }
}

export async function installAuth(
  app: FastifyInstance,
  options: AuthOptions & { fhirStore: FhirStore; now: () => Date; publicBaseUrl?: string },
): Promise<InstalledAuth> {
  const { now, publicBaseUrl } = options;
  const registry: ClientRegistry = {
    staffClient: options.staffClient,
    redirectOrigins: options.redirectOrigins.map((origin) => originOf(origin) ?? origin),
    redirectUris: options.redirectUris ?? [],
    smartClients: options.smartClients ?? [],
  };
  const browserOrigins = appOrigins(registry);
  const signer = await TokenSigner.open(options.store);
  const issuer = new TokenIssuer(signer, options.store, options.accessTokenSeconds ?? 900);
  const authorize: AuthorizeContext = {
    auth: options.store,
    fhirStore: options.fhirStore,
    registry,
    throttle: new SignInThrottle(options.store, now),
    signer,
    now,
    publicBaseUrl,
    sessionSeconds: options.sessionSeconds ?? 8 * 60 * 60,
  };

  installAccessControl(app, { signer, now, publicBaseUrl });

  // The sign-in page allows its form to lead (by redirect) to the app's origins; set after the
  // server-wide security headers, which allow only this origin.
  app.addHook('onSend', async (request, reply, payload) => {
    if (
      pathOf(request) === '/auth/authorize' &&
      String(reply.getHeader('content-type') ?? '').startsWith('text/html')
    ) {
      const formTargets = ["'self'", ...browserOrigins].join(' ');
      reply.header(
        'Content-Security-Policy',
        `default-src 'none'; style-src 'self'; img-src 'self'; form-action ${formTargets}; frame-ancestors 'none'; base-uri 'none'`,
      );
    }
    return payload;
  });

  app.get('/fhir/.well-known/smart-configuration', async (request, reply) =>
    reply
      .header('Access-Control-Allow-Origin', '*')
      .header('Cache-Control', 'no-cache')
      .send(smartConfiguration(serverUrls(request, publicBaseUrl), registry.staffClient !== null)),
  );
  app.get('/auth/.well-known/openid-configuration', async (request, reply) =>
    reply
      .header('Access-Control-Allow-Origin', '*')
      .header('Cache-Control', 'no-cache')
      .send(openidConfiguration(serverUrls(request, publicBaseUrl), registry.staffClient !== null)),
  );
  app.get('/auth/jwks', async (_request, reply) =>
    reply.header('Access-Control-Allow-Origin', '*').header('Cache-Control', 'no-cache').send(signer.jwks()),
  );
  app.get('/auth/sign-in.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('Cache-Control', 'no-cache').send(SIGN_IN_CSS),
  );

  // The sign-in pages, in a scope of their own with request.cookies and reply.setCookie (the session and
  // the known-device cookie): parsing cookies for every FHIR request was 2 % of the server's thread under load.
  await app.register(async (signIn) => {
    await signIn.register(fastifyCookie);
    signIn.get('/auth/authorize', (request, reply) => showSignIn(authorize, request, reply));
    signIn.post('/auth/authorize', (request, reply) => submitSignIn(authorize, request, reply));
    signIn.get('/auth/sign-out', (request, reply) => signOut(authorize, request, reply));
    signIn.post('/auth/sign-out', (request, reply) => confirmSignOut(authorize, request, reply));
  });

  app.options('/auth/token', async (request, reply) => {
    corsFor(request, reply, browserOrigins);
    return reply
      .code(204)
      .header('Access-Control-Allow-Methods', 'POST')
      .header('Access-Control-Allow-Headers', 'Content-Type, Authorization')
      .header('Access-Control-Max-Age', '600')
      .send();
  });
  app.post('/auth/token', async (request, reply) => {
    corsFor(request, reply, browserOrigins);
    reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
    try {
      return reply.send(
        await tokenRequest(
          { auth: options.store, issuer, registry, urls: serverUrls(request, publicBaseUrl), now: now() },
          request,
        ),
      );
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      if (error.status === 401 && error.basicChallenge)
        reply.header('WWW-Authenticate', 'Basic realm="nz-appointments"');
      return reply.code(error.status).send({ error: error.error, error_description: error.description });
    }
  });

  // An EHR (a staff user's session, or a system) opens the app on one patient: POST {patient}.
  app.post('/auth/launch', async (request, reply) => {
    const urls = serverUrls(request, publicBaseUrl);
    const token = bearerToken(request);
    const claims =
      token === undefined
        ? undefined
        : await signer
            .verifyAccessToken(token, { issuer: urls.authBase, audience: urls.fhirBase, now: now() })
            .catch((error: unknown) => {
              if (error instanceof TokenRejected) return undefined;
              throw error;
            });
    if (!claims) {
      reply.header('WWW-Authenticate', 'Bearer realm="nz-appointments"');
      throw FhirError.of(
        401,
        'login',
        'A launch needs a staff or system access token: "Authorization: Bearer <token>".',
      );
    }
    const scopes = resourceScopes(claims.scope);
    if (!permits(scopes, 'user', 'Patient', 'read') && !permits(scopes, 'system', 'Patient', 'read')) {
      throw FhirError.of(
        403,
        'forbidden',
        'Only staff and systems that may read any patient can launch the app on one.',
      );
    }
    const patient = (request.body as { patient?: unknown } | undefined)?.patient;
    if (typeof patient !== 'string' || !isFhirId(patient))
      throw FhirError.of(400, 'required', 'Send {"patient": "<Patient id>"}.', 'patient');
    if (!(await options.fhirStore.read<Patient>('Patient', patient)))
      throw FhirError.of(422, 'not-found', `There is no Patient with id "${patient}".`, 'patient');
    const launch = opaqueToken();
    const at = now();
    await options.store.putGrant(
      'launch',
      tokenDigest(launch),
      { patient },
      new Date(at.getTime() + LAUNCH_SECONDS * 1000),
      at,
    );
    return reply.header('Cache-Control', 'no-store').send({ launch, expires_in: LAUNCH_SECONDS });
  });

  return { endpointsFor: (request) => oauthEndpoints(serverUrls(request, publicBaseUrl)) };
}
