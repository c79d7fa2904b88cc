/**
 * SMART apps besides the built-in one (SMART_CLIENTS_FILE), refresh tokens bound to their client,
 * the authorization response without `iss`, and OpenID discovery for the id tokens.
 */
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_CLIENT_ID, type SmartClient } from '../auth/clients';
import { DEMO_STAFF_PRACTITIONER_ID } from '../auth/demoAccounts';
import type { TokenResponse } from '../auth/tokenIssuer';
import {
  authorizeQuery,
  form,
  PATIENT_A,
  pkce,
  postToken,
  RECEPTION,
  redirectParams,
  SERVER_ORIGIN,
  signIn,
  submitSignIn,
} from './authHarness';
import { PRODUCT_NAME } from '../../domain/product';
import { NOW } from './fixtures';
import { startTestServer, type TestServer } from './testServer';

const GROWTH_CHART: SmartClient = {
  id: 'growth-chart',
  name: 'Growth Chart',
  secret: null,
  redirectUris: ['https://apps.example.org/growth/'],
  scope: 'launch/patient openid fhirUser offline_access patient/Patient.rs patient/Appointment.rs',
};
const RECALLS_SECRET = 'recalls-secret-0123456789';
const RECALLS: SmartClient = {
  id: 'recalls',
  name: 'Recall list',
  secret: RECALLS_SECRET,
  redirectUris: ['https://recalls.example.org/callback'],
};
const RECALLS_BASIC = { authorization: `Basic ${Buffer.from(`${RECALLS.id}:${RECALLS_SECRET}`).toString('base64')}` };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ smartClients: [GROWTH_CHART, RECALLS] });
});
afterAll(() => server.close());

function authorizePage(query: Record<string, string>) {
  return server.app.inject({ method: 'GET', url: `/auth/authorize?${form(query)}` });
}

const refresh = (token: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  postToken(server.app, { grant_type: 'refresh_token', refresh_token: token, ...extra }, headers);

describe('refresh tokens (RFC 6749 6)', () => {
  it('are renewed for a public client that does not name itself: the token knows whose it is', async () => {
    const { tokens } = await signIn(server.app, { patient: PATIENT_A }, { scope: 'patient/*.rs offline_access' });
    const renewed = await refresh(tokens.refresh_token as string);
    expect(renewed.statusCode, renewed.body).toBe(200);
    expect(renewed.json<TokenResponse>()).toMatchObject({ patient: 'pat-a', scope: tokens.scope });
  });

  it('are refused to any other client that presents them, and the owner can still use them', async () => {
    const { tokens } = await signIn(server.app, { patient: PATIENT_A });
    const stolen = await refresh(tokens.refresh_token as string, { client_id: GROWTH_CHART.id });
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json()).toMatchObject({ error: 'invalid_grant' });
    const asRecalls = await refresh(tokens.refresh_token as string, {}, RECALLS_BASIC);
    expect(asRecalls.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await refresh(tokens.refresh_token as string, { client_id: APP_CLIENT_ID })).statusCode).toBe(200);
  });

  it("of a confidential client need that client's credentials", async () => {
    const { tokens } = await signIn(
      server.app,
      { staff: RECEPTION },
      { clientId: RECALLS.id, redirectUri: RECALLS.redirectUris[0], scope: 'user/*.rs', tokenHeaders: RECALLS_BASIC },
    );
    const anonymous = await refresh(tokens.refresh_token as string);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: 'invalid_client' });
    const renewed = await refresh(tokens.refresh_token as string, {}, RECALLS_BASIC);
    expect(renewed.statusCode, renewed.body).toBe(200);
    expect(renewed.json<TokenResponse>().scope).toBe('user/*.rs');
  });
});

describe('registered SMART apps', () => {
  it("show the app's name on the sign-in page, at its registered redirect only, compared exactly", async () => {
    const query = authorizeQuery({ clientId: GROWTH_CHART.id, redirectUri: GROWTH_CHART.redirectUris[0] });
    const page = await authorizePage(query);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`Growth Chart is asking to use your ${PRODUCT_NAME} account.`);
    for (const redirectUri of ['https://apps.example.org/growth', `${SERVER_ORIGIN}/signed-in`]) {
      const refused = await authorizePage({ ...query, redirect_uri: redirectUri });
      expect(refused.statusCode, redirectUri).toBe(400);
      expect(refused.headers.location).toBeUndefined();
    }
    const unknown = await authorizePage({ ...query, client_id: 'nobody' });
    expect(unknown.body).toContain('an application this server does not know');
  });

  it('get no more than their registered scope, whatever they ask for, and no iss in the answer', async () => {
    const { verifier, challenge } = pkce();
    const query = authorizeQuery({
      clientId: GROWTH_CHART.id,
      redirectUri: GROWTH_CHART.redirectUris[0],
      challenge,
      scope: 'launch/patient openid fhirUser offline_access patient/*.cruds',
    });
    const params = redirectParams(await submitSignIn(server.app, query, { patient: PATIENT_A }));
    expect(params.get('iss')).toBeNull();
    const code = params.get('code') as string;
    const exchange = (clientId: string) =>
      postToken(server.app, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: query.redirect_uri,
        client_id: clientId,
        code_verifier: verifier,
      });
    const tokens = (await exchange(GROWTH_CHART.id)).json<TokenResponse>();
    expect(tokens.scope.split(' ').sort()).toEqual(
      ['launch/patient', 'openid', 'fhirUser', 'offline_access', 'patient/Patient.rs', 'patient/Appointment.rs'].sort(),
    );
    expect(tokens.patient).toBe('pat-a');
    const write = await server.app.inject({
      method: 'DELETE',
      url: '/fhir/Appointment/appt-a',
      headers: { authorization: `Bearer ${tokens.access_token}`, accept: 'application/fhir+json' },
    });
    expect(write.statusCode).toBe(403);
  });

  it('exchange only their own codes, and a confidential one only with its secret by HTTP Basic', async () => {
    const { verifier, challenge } = pkce();
    const query = authorizeQuery({ clientId: RECALLS.id, redirectUri: RECALLS.redirectUris[0], challenge });
    const code = redirectParams(await submitSignIn(server.app, query, { staff: RECEPTION })).get('code') as string;
    const fields = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: query.redirect_uri,
      code_verifier: verifier,
    };
    const asPublic = await postToken(server.app, { ...fields, client_id: RECALLS.id });
    expect(asPublic.statusCode).toBe(401);
    const inBody = await postToken(server.app, { ...fields, client_id: RECALLS.id, client_secret: RECALLS_SECRET });
    expect(inBody.statusCode).toBe(401);
    const asApp = await postToken(server.app, { ...fields, client_id: APP_CLIENT_ID });
    expect(asApp.json()).toMatchObject({ error: 'invalid_grant' });
    // The unauthenticated tries never reached the code; the app's did, and a code presented by the wrong client is spent.
    const late = await postToken(server.app, fields, RECALLS_BASIC);
    expect(late.json()).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('fhirUser for staff', () => {
  it("names the receptionist's own Practitioner record, which their token can read", async () => {
    const { tokens } = await signIn(server.app, { staff: RECEPTION }, { scope: 'openid fhirUser user/*.rs' });
    expect(tokens.scope.split(' ')).toContain('fhirUser');
    const fhirUser = `${SERVER_ORIGIN}/fhir/Practitioner/${DEMO_STAFF_PRACTITIONER_ID}`;
    expect(decodeJwt(tokens.id_token as string).fhirUser).toBe(fhirUser);
    expect(decodeJwt(tokens.access_token).fhirUser).toBe(fhirUser);
    const record = await server.app.inject({
      url: new URL(fhirUser).pathname,
      headers: { authorization: `Bearer ${tokens.access_token}`, accept: 'application/fhir+json' },
    });
    expect(record.statusCode).toBe(200);
    expect(record.json()).toMatchObject({ resourceType: 'Practitioner', name: [{ text: 'Reception (demo)' }] });
  });
});

describe('OpenID Connect discovery', () => {
  it('names the same issuer, keys and endpoints as the SMART configuration, and the id tokens verify against them', async () => {
    const openid = (await server.app.inject({ url: '/auth/.well-known/openid-configuration' })).json();
    const smart = (await server.app.inject({ url: '/fhir/.well-known/smart-configuration' })).json();
    for (const field of ['issuer', 'jwks_uri', 'authorization_endpoint', 'token_endpoint', 'end_session_endpoint'])
      expect(openid[field], field).toBe(smart[field]);
    expect(openid.issuer).toBe(`${SERVER_ORIGIN}/auth`);
    expect(openid.id_token_signing_alg_values_supported).toEqual(['ES256']);
    expect(openid.subject_types_supported).toEqual(['public']);
    expect(smart.capabilities).toContain('sso-openid-connect');

    const { tokens } = await signIn(server.app, { patient: PATIENT_A }, { scope: 'openid fhirUser patient/*.rs' });
    const jwks = (await server.app.inject({ url: new URL(openid.jwks_uri).pathname })).json();
    const { payload } = await jwtVerify(tokens.id_token as string, createLocalJWKSet(jwks), {
      issuer: openid.issuer,
      audience: APP_CLIENT_ID,
      currentDate: NOW,
    });
    expect(payload.fhirUser).toBe(`${SERVER_ORIGIN}/fhir/Patient/pat-a`);
  });
});
