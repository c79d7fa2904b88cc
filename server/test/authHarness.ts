/**
 * The ways a browser really gets a token from the test server (testServer.ts): the
 * authorization-code flow with PKCE, by sending the sign-in form and following its redirect.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { APP_CLIENT_ID } from '../auth/clients';
import { demoPortalCode } from '../auth/demoAccounts';
import type { TokenResponse } from '../auth/tokenIssuer';
import { patientA, patientB } from './fixtures';
import { FHIR_HEADERS, STAFF_PASSWORD } from './testServer';

/** The origin light-my-request's requests come from by default (Host: localhost:80). */
export const SERVER_ORIGIN = 'http://localhost';
export const REDIRECT_URI = `${SERVER_ORIGIN}/signed-in`;
export const FHIR_BASE = `${SERVER_ORIGIN}/fhir`;

export interface PatientCredentials {
  nhi: string;
  birthDate: string;
  portalCode: string;
}

export const PATIENT_A: PatientCredentials = {
  nhi: 'ZAC5361',
  birthDate: patientA.birthDate as string,
  portalCode: demoPortalCode(patientA.id as string),
};
export const PATIENT_B: PatientCredentials = {
  nhi: 'ZBN77VL',
  birthDate: patientB.birthDate as string,
  portalCode: demoPortalCode(patientB.id as string),
};
export const RECEPTION = { username: 'reception', password: STAFF_PASSWORD };

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function form(values: Record<string, string>): string {
  return new URLSearchParams(values).toString();
}

export const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };

export function bearer(token: string): Record<string, string> {
  return { ...FHIR_HEADERS, authorization: `Bearer ${token}` };
}

export async function postToken(
  app: FastifyInstance,
  values: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/auth/token',
    headers: { ...FORM_HEADERS, ...headers },
    payload: form(values),
  });
}

export interface AuthorizeOptions {
  /** The built-in app's unless said. */
  clientId?: string;
  scope?: string;
  state?: string;
  launch?: string;
  challenge?: string;
  redirectUri?: string;
  extra?: Record<string, string>;
}

export function authorizeQuery(options: AuthorizeOptions = {}): Record<string, string> {
  return {
    response_type: 'code',
    client_id: options.clientId ?? APP_CLIENT_ID,
    redirect_uri: options.redirectUri ?? REDIRECT_URI,
    scope: options.scope ?? 'openid fhirUser launch/patient user/*.cruds patient/*.cruds',
    state: options.state ?? 'state-123',
    code_challenge: options.challenge ?? pkce().challenge,
    code_challenge_method: 'S256',
    aud: FHIR_BASE,
    ...(options.launch ? { launch: options.launch } : {}),
    ...options.extra,
  };
}

export type Credentials = { staff: { username: string; password: string } } | { patient: PatientCredentials };

export function credentialFields(credentials: Credentials): Record<string, string> {
  return 'staff' in credentials
    ? { sign_in_as: 'staff', username: credentials.staff.username, password: credentials.staff.password }
    : {
        sign_in_as: 'patient',
        nhi: credentials.patient.nhi,
        birth_date: credentials.patient.birthDate,
        portal_code: credentials.patient.portalCode,
      };
}

/** Sends the sign-in form as a browser would; returns the raw answer. */
export function submitSignIn(
  app: FastifyInstance,
  query: Record<string, string>,
  credentials: Credentials,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/auth/authorize',
    headers: { ...FORM_HEADERS, origin: SERVER_ORIGIN, ...headers },
    payload: form({ ...query, ...credentialFields(credentials) }),
  });
}

/** The code (and the rest) the sign-in redirect carries back to the app. */
export function redirectParams(response: LightMyRequestResponse): URLSearchParams {
  expect(response.statusCode, response.body).toBe(302);
  return new URL(String(response.headers.location)).searchParams;
}

/** The Set-Cookie header of the session cookie (a sign-in may set the known-device cookie beside it). */
export function sessionSetCookie(response: LightMyRequestResponse): string {
  const cookie =
    [response.headers['set-cookie'] ?? []]
      .flat()
      .map(String)
      .find((found) => found.startsWith('nz_appointments_session=')) ?? '';
  expect(cookie).toMatch(/^nz_appointments_session=/);
  return cookie;
}

export function sessionCookie(response: LightMyRequestResponse): string {
  return sessionSetCookie(response).split(';')[0];
}

export interface SignedIn {
  tokens: TokenResponse;
  cookie: string;
}

/** The whole browser flow: sign-in form, redirect with a code, code + verifier for tokens. */
export async function signIn(
  app: FastifyInstance,
  credentials: Credentials,
  options: AuthorizeOptions & { tokenHeaders?: Record<string, string> } = {},
): Promise<SignedIn> {
  const { verifier, challenge } = pkce();
  const query = authorizeQuery({ ...options, challenge });
  const page = await app.inject({ method: 'GET', url: `/auth/authorize?${form(query)}` });
  expect(page.statusCode, page.body).toBe(200);
  const answer = await submitSignIn(app, query, credentials);
  const params = redirectParams(answer);
  expect(params.get('state')).toBe(query.state);
  const exchanged = await postToken(
    app,
    {
      grant_type: 'authorization_code',
      code: params.get('code') as string,
      redirect_uri: query.redirect_uri,
      client_id: query.client_id,
      code_verifier: verifier,
    },
    options.tokenHeaders,
  );
  expect(exchanged.statusCode, exchanged.body).toBe(200);
  return { tokens: exchanged.json<TokenResponse>(), cookie: sessionCookie(answer) };
}
