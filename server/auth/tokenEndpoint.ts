/**
 * POST /auth/token (RFC 6749 section 3.2): authorization_code with PKCE for the browser app and the
 * registered SMART apps, refresh_token (rotating, bound to the client it was issued to) for them,
 * and client_credentials for the confidential machine client.
 * Errors are RFC 6749 5.2 JSON: `{ error, error_description }`.
 */
import type { FastifyRequest } from 'fastify';
import { type FormValues, single } from './authorizeRequest';
import type { AuthStore } from './authStore';
import {
  authenticateClient,
  findSmartClient,
  type ClientIdentity,
  type ClientRegistry,
  type PresentedCredentials,
  type SmartClient,
} from './clients';
import { narrowedScope, ScopeRefused, systemScope } from './grantedScopes';
import { s256, sameSecret, tokenDigest } from './secrets';
import type { CodeGrant, TokenIssuer, TokenResponse, UserGrant } from './tokenIssuer';
import type { ServerUrls } from './urls';

export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: string,
    readonly description: string,
    /** Set when the client tried HTTP Basic, so a 401 can ask for it again (RFC 6749 5.2). */
    readonly basicChallenge = false,
  ) {
    super(description);
  }
}

const PKCE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const SPENT_CODES_KEPT_MS = 24 * 60 * 60_000;

export interface TokenContext {
  auth: AuthStore;
  issuer: TokenIssuer;
  registry: ClientRegistry;
  urls: ServerUrls;
  now: Date;
}

function presentedClient(request: FastifyRequest, form: FormValues): PresentedCredentials {
  const header = request.headers.authorization;
  const bodyId = single(form, 'client_id') ?? undefined;
  const bodySecret = single(form, 'client_secret') ?? undefined;
  if (typeof header === 'string' && /^basic\s/i.test(header)) {
    if (bodySecret !== undefined)
      throw new OAuthError(
        400,
        'invalid_request',
        'Authenticate the client one way only: HTTP Basic or client_secret in the body.',
      );
    const decoded = Buffer.from(header.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    try {
      if (colon < 0) throw new Error('no colon');
      const clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      if (bodyId !== undefined && bodyId !== clientId) throw new Error('two ids');
      return { clientId, secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')), basic: true };
    } catch {
      throw new OAuthError(401, 'invalid_client', 'The HTTP Basic credentials cannot be read.', true);
    }
  }
  return { clientId: bodyId, secret: bodySecret, basic: false };
}

function required(form: FormValues, name: string): string {
  const value = single(form, name);
  if (value === null) throw new OAuthError(400, 'invalid_request', `The parameter ${name} is repeated.`);
  if (!value) throw new OAuthError(400, 'invalid_request', `${name} is required.`);
  return value;
}

function scopeOf(form: FormValues): string | undefined {
  const scope = single(form, 'scope');
  if (scope === null) throw new OAuthError(400, 'invalid_request', 'The parameter scope is repeated.');
  return scope;
}

function authenticated(context: TokenContext, presented: PresentedCredentials): ClientIdentity {
  const client = authenticateClient(context.registry, presented);
  if (!client)
    throw new OAuthError(401, 'invalid_client', 'The client is unknown or its credentials are wrong.', presented.basic);
  return client;
}

async function exchangeCode(context: TokenContext, form: FormValues, client: SmartClient): Promise<TokenResponse> {
  const code = required(form, 'code');
  const redirectUri = required(form, 'redirect_uri');
  const verifier = required(form, 'code_verifier');
  // Spent, not read: a code works once, even when two requests race with it. A second use means it
  // leaked: what the first use issued is revoked too (RFC 6749 4.1.2, RFC 9700 4.2.1).
  // The spent code is kept longer than any sign-in lasts, so a replay at any time revokes its tokens.
  const spent = await context.auth.spendGrant<CodeGrant>(
    'code',
    tokenDigest(code),
    context.now,
    new Date(context.now.getTime() + SPENT_CODES_KEPT_MS),
  );
  const invalid = new OAuthError(
    400,
    'invalid_grant',
    'The authorization code is unknown, used, expired, or was issued for another client or redirect_uri.',
  );
  if (spent?.kind === 'replayed') {
    if (spent.family) await context.auth.revokeFamily(spent.family);
    throw invalid;
  }
  const stored = spent?.grant;
  if (!stored || stored.expiresAt <= context.now) throw invalid;
  const grant = stored.data;
  if (grant.clientId !== client.id || grant.redirectUri !== redirectUri) throw invalid;
  if (!PKCE_VERIFIER.test(verifier) || !sameSecret(s256(verifier), grant.codeChallenge)) {
    throw new OAuthError(
      400,
      'invalid_grant',
      'The code_verifier does not match the code_challenge of the authorization request.',
    );
  }
  const { redirectUri: _redirect, codeChallenge: _challenge, ...userGrant } = grant;
  return context.issuer.forUser(userGrant, context.urls, context.now, stored.links);
}

/** `client` is undefined when the caller did not say who it is, as a public client need not (RFC 6749 6). */
async function refresh(
  context: TokenContext,
  form: FormValues,
  client: SmartClient | undefined,
): Promise<TokenResponse> {
  const token = required(form, 'refresh_token');
  const digest = tokenDigest(token);
  const invalid = new OAuthError(
    400,
    'invalid_grant',
    'The refresh token is unknown, already used or expired: sign in again.',
  );
  const revokeFamilyOf = async (family: string | undefined) => {
    // A rotated refresh token used again: one of the two holders is not the app, so neither keeps it (RFC 9700 4.14.2).
    if (family) await context.auth.revokeFamily(family);
    return invalid;
  };
  const found = await context.auth.peekGrant<UserGrant>('refresh', digest);
  if (!found || found.expiresAt <= context.now) throw invalid;
  if (client === undefined) {
    // The token is bound to the client it was issued to: only a public client's may be used unauthenticated.
    if (findSmartClient(context.registry, found.data.clientId)?.secret !== null)
      throw new OAuthError(
        401,
        'invalid_client',
        'This refresh token was issued to a confidential client: authenticate it.',
      );
  } else if (found.data.clientId !== client.id) throw invalid;
  if (found.used) throw await revokeFamilyOf(found.links.family);
  // The scope is checked before the token is spent: a refused request leaves it usable.
  let scope: string;
  try {
    scope = narrowedScope(scopeOf(form), found.data.scope);
  } catch (error) {
    if (error instanceof ScopeRefused) throw new OAuthError(400, 'invalid_scope', error.message);
    throw error;
  }
  const spent = await context.auth.spendGrant<UserGrant>('refresh', digest, context.now, found.expiresAt);
  if (spent?.kind !== 'spent') throw await revokeFamilyOf(spent?.family);
  return context.issuer.forUser({ ...spent.grant.data, scope }, context.urls, context.now, spent.grant.links);
}

async function clientCredentials(
  context: TokenContext,
  client: ClientIdentity,
  form: FormValues,
): Promise<TokenResponse> {
  if (client.kind !== 'staff')
    throw new OAuthError(400, 'unauthorized_client', 'This client may not use client_credentials.');
  try {
    return await context.issuer.forSystem(client.id, systemScope(scopeOf(form)), context.urls, context.now);
  } catch (error) {
    if (error instanceof ScopeRefused) throw new OAuthError(400, 'invalid_scope', error.message);
    throw error;
  }
}

export async function tokenRequest(context: TokenContext, request: FastifyRequest): Promise<TokenResponse> {
  const body = request.body;
  if (
    typeof body !== 'object' ||
    body === null ||
    Array.isArray(body) ||
    !request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')
  ) {
    throw new OAuthError(400, 'invalid_request', 'Send the token request as application/x-www-form-urlencoded.');
  }
  const form = body as FormValues;
  const grantType = required(form, 'grant_type');
  if (grantType === 'client_credentials' && !context.registry.staffClient) {
    throw new OAuthError(
      400,
      'unauthorized_client',
      'client_credentials is off on this server: set STAFF_CLIENT_ID and STAFF_CLIENT_SECRET to turn it on.',
    );
  }
  if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(grantType)) {
    throw new OAuthError(
      400,
      'unsupported_grant_type',
      'grant_type must be authorization_code, refresh_token or client_credentials.',
    );
  }
  const presented = presentedClient(request, form);
  if (grantType === 'refresh_token' && presented.clientId === undefined && presented.secret === undefined)
    return refresh(context, form, undefined);
  const client = authenticated(context, presented);
  if (grantType === 'client_credentials') return clientCredentials(context, client, form);
  if (client.kind !== 'smart')
    throw new OAuthError(400, 'unauthorized_client', `This client may only use client_credentials, not ${grantType}.`);
  return grantType === 'authorization_code'
    ? exchangeCode(context, form, client.client)
    : refresh(context, form, client.client);
}
