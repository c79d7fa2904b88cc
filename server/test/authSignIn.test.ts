/**
 * The SMART authorization server through its HTTP endpoints: discovery, the sign-in page, the
 * authorization-code flow with PKCE, refresh, client_credentials and EHR launch.
 */
import type { CapabilityStatement } from 'fhir/r4';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_CLIENT_ID } from '../auth/clients';
import type { TokenResponse } from '../auth/tokenIssuer';
import { buildServer } from '../http/buildServer';
import { NOW, TIME_ZONE } from './fixtures';
import {
  authorizeQuery,
  bearer,
  credentialFields,
  FHIR_BASE,
  form,
  FORM_HEADERS,
  PATIENT_A,
  PATIENT_B,
  pkce,
  postToken,
  RECEPTION,
  REDIRECT_URI,
  redirectParams,
  SERVER_ORIGIN,
  sessionSetCookie,
  signIn,
  submitSignIn,
  type Credentials,
} from './authHarness';
import { OTHER_APP_ORIGIN, STAFF_CLIENT, startTestServer, machineToken, type TestServer } from './testServer';

let server: TestServer;
let clock = NOW;
beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
});
afterAll(async () => server.close());

const get = (url: string, headers: Record<string, string> = {}) => server.app.inject({ method: 'GET', url, headers });
const authorizePage = (query: Record<string, string>, headers: Record<string, string> = {}) =>
  get(`/auth/authorize?${form(query)}`, headers);
/** Signs out as the app does: with its id token as the hint. */
const signOutWith = (cookie: string, tokens: TokenResponse, back?: string) =>
  get(
    `/auth/sign-out?${form({ id_token_hint: tokens.id_token as string, ...(back ? { post_logout_redirect_uri: back } : {}) })}`,
    { cookie },
  );

describe('discovery', () => {
  it('publishes the SMART configuration without a token', async () => {
    const response = await get('/fhir/.well-known/smart-configuration', { accept: 'application/json' });
    expect(response.statusCode).toBe(200);
    const config = response.json();
    expect(config).toMatchObject({
      issuer: `${SERVER_ORIGIN}/auth`,
      jwks_uri: `${SERVER_ORIGIN}/auth/jwks`,
      authorization_endpoint: `${SERVER_ORIGIN}/auth/authorize`,
      token_endpoint: `${SERVER_ORIGIN}/auth/token`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
    });
    // The authorization response carries no iss (a SMART client would take it for the FHIR base).
    expect(config.authorization_response_iss_parameter_supported).toBeUndefined();
    expect(config.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'client_credentials', 'refresh_token']),
    );
    expect(config.capabilities).toEqual(
      expect.arrayContaining([
        'launch-ehr',
        'launch-standalone',
        'client-public',
        'client-confidential-symmetric',
        'context-ehr-patient',
        'context-standalone-patient',
        'permission-patient',
        'permission-user',
        'permission-v2',
      ]),
    );
    expect(config.scopes_supported).toEqual(
      expect.arrayContaining([
        'user/*.cruds',
        'patient/Appointment.cruds',
        'system/*.cruds',
        'launch',
        'openid',
        'fhirUser',
      ]),
    );
  });

  it('publishes its public signing key, and no private part of it', async () => {
    const response = await get('/auth/jwks');
    expect(response.statusCode).toBe(200);
    const { keys } = response.json<{ keys: Array<Record<string, string>> }>();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[0].d).toBeUndefined();
    const token = await machineToken(server.app);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', kid: keys[0].kid, typ: 'at+jwt' });
  });

  it('declares SMART-on-FHIR security with its endpoints in the public CapabilityStatement', async () => {
    const response = await get('/fhir/metadata', { accept: 'application/fhir+json' });
    expect(response.statusCode).toBe(200);
    const security = response.json<CapabilityStatement>().rest?.[0].security;
    expect(security?.service?.[0].coding?.[0]).toEqual({
      system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
      code: 'SMART-on-FHIR',
    });
    const uris = security?.extension?.find(
      (found) => found.url === 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
    )?.extension;
    expect(uris).toEqual([
      { url: 'authorize', valueUri: `${SERVER_ORIGIN}/auth/authorize` },
      { url: 'token', valueUri: `${SERVER_ORIGIN}/auth/token` },
    ]);
  });
});

describe('the sign-in page', () => {
  it('is an accessible page with one form for staff and one for patients, styled from a file', async () => {
    const response = await authorizePage(authorizeQuery());
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['cache-control']).toBe('no-store');
    const page = response.body;
    expect(page).toMatch(/<html lang="en-NZ">/);
    expect(page).toMatch(/<meta name="viewport" content="width=device-width, initial-scale=1">/);
    expect(page.match(/<h1>/g)).toHaveLength(1);
    expect(page.match(/<form method="post" action="\/auth\/authorize">/g)).toHaveLength(2);
    for (const [id, label] of [
      ['username', 'Username'],
      ['password', 'Password'],
      ['nhi', 'NHI number'],
      ['birth-date', 'Date of birth'],
      ['portal-code', 'Portal code'],
    ]) {
      expect(page).toContain(`<label for="${id}">${label}</label>`);
      expect(page).toMatch(new RegExp(`<input id="${id}"[^>]* required`));
    }
    expect(page).not.toMatch(/<script|style=|<style/);
    const stylesheet = await get('/auth/sign-in.css');
    expect(stylesheet.statusCode).toBe(200);
    expect(stylesheet.headers['content-type']).toMatch(/^text\/css/);
    expect(page).toContain('<link rel="stylesheet" href="/auth/sign-in.css">');
  });

  it('allows no scripts, and lets its form lead only to this origin and the app origins configured', async () => {
    const csp = String((await authorizePage(authorizeQuery())).headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain(`form-action 'self' ${OTHER_APP_ORIGIN}`);
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('carries the authorization request through the form, escaped', async () => {
    const page = (await authorizePage(authorizeQuery({ state: '"><script>alert(1)</script>' }))).body;
    expect(page).toContain(
      '<input type="hidden" name="state" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">',
    );
    expect(page).toContain(`<input type="hidden" name="redirect_uri" value="${REDIRECT_URI}">`);
  });
});

describe('authorization requests that must not redirect', () => {
  it('shows an error page for an unknown client, without redirecting', async () => {
    const response = await authorizePage({ ...authorizeQuery(), client_id: 'someone-else' });
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
    expect(response.body).toContain('<h1>Cannot sign in</h1>');
  });

  it.each([
    ['another site', 'https://evil.example.com/callback'],
    ['a look-alike host', 'http://localhost.evil.example.com/callback'],
    ['a fragment', `${REDIRECT_URI}#x`],
    ['not http', 'javascript:alert(1)'],
    ['a relative path', '/callback'],
    ['another path of this origin, with a query', `${SERVER_ORIGIN}/some/other/path?x=1`],
    ['the registered URI with a query added', `${REDIRECT_URI}?x=1`],
    ['the registered URI with a trailing slash', `${REDIRECT_URI}/`],
    ['user info', 'http://user:pw@localhost/signed-in'],
    ['the scheme in capitals', 'HTTP://localhost/signed-in'],
    ['the default port spelled out', 'http://localhost:80/signed-in'],
    ['a port with a leading zero', 'http://localhost:080/signed-in'],
    ['an IPv4 address in hex', 'http://0x7f.0.0.1/signed-in'],
    ['an IPv4 address as one number', 'http://2130706433/signed-in'],
  ])('shows an error page for a redirect_uri to %s, without redirecting', async (_name, redirectUri) => {
    const response = await authorizePage({ ...authorizeQuery(), redirect_uri: redirectUri });
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
  });

  it('holds prompt=none with a live session to the same exact redirect URIs', async () => {
    const { cookie } = await signIn(server.app, { staff: RECEPTION });
    const elsewhere = await authorizePage(
      { ...authorizeQuery({ extra: { prompt: 'none' } }), redirect_uri: `${SERVER_ORIGIN}/some/other/path` },
      { cookie },
    );
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.headers.location).toBeUndefined();
    expect(
      redirectParams(await authorizePage(authorizeQuery({ extra: { prompt: 'none' } }), { cookie })).get('code'),
    ).toBeTruthy();
  });

  it('accepts a redirect_uri on an origin listed in SMART_REDIRECT_ORIGINS', async () => {
    expect((await authorizePage(authorizeQuery({ redirectUri: `${OTHER_APP_ORIGIN}/signed-in` }))).statusCode).toBe(
      200,
    );
  });
});

describe('authorization requests refused back to the app', () => {
  it.each([
    ['no PKCE', { code_challenge: '' }, 'invalid_request'],
    ['plain PKCE', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['a token response type', { response_type: 'token' }, 'unsupported_response_type'],
    ['another server as aud', { aud: 'https://other.example.org/fhir' }, 'invalid_request'],
    ['an unknown launch', { launch: 'not-a-launch' }, 'invalid_request'],
  ])('redirects with an error for %s', async (_name, change, error) => {
    const params = redirectParams(await authorizePage({ ...authorizeQuery(), ...change }));
    expect(params.get('error')).toBe(error);
    expect(params.get('error_description')).toMatch(/\w{5}/);
    expect(params.get('state')).toBe('state-123');
    expect(params.get('iss')).toBeNull();
    expect(params.get('code')).toBeNull();
  });

  it('redirects with invalid_scope when nothing asked for can be granted to who signed in', async () => {
    const params = redirectParams(
      await submitSignIn(server.app, authorizeQuery({ scope: 'system/*.cruds' }), { patient: PATIENT_A }),
    );
    expect(params.get('error')).toBe('invalid_scope');
  });

  it('answers prompt=none with login_required when nobody is signed in', async () => {
    const params = redirectParams(await authorizePage(authorizeQuery({ extra: { prompt: 'none' } })));
    expect(params.get('error')).toBe('login_required');
  });
});

describe('signing in', () => {
  it('refuses a wrong password with 401, says so, keeps the username and never echoes the password', async () => {
    const response = await submitSignIn(server.app, authorizeQuery(), {
      staff: { username: 'reception', password: 'not-the-password-xyz' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.body).toContain('role="alert"');
    expect(response.body).toContain('do not match a clinic account');
    expect(response.body).toMatch(/<input id="username"[^>]*value="reception"[^>]*aria-invalid="true"/);
    expect(response.body).not.toContain('not-the-password-xyz');
  });

  it('refuses a wrong portal code, birth date or NHI the same way, keeping the NHI but not the code', async () => {
    const tries = [
      { ...PATIENT_A, portalCode: 'WXYZ-2345' },
      { ...PATIENT_A, birthDate: '1984-07-20' },
      { ...PATIENT_A, nhi: 'ZZZ0016' },
    ];
    const bodies: string[] = [];
    for (const patient of tries) {
      const response = await submitSignIn(server.app, authorizeQuery(), { patient });
      expect(response.statusCode).toBe(401);
      expect(response.body).not.toContain(patient.portalCode);
      expect(response.body).toContain(`value="${patient.nhi}"`);
      bodies.push(response.body.replace(patient.nhi, 'NHI').replace(/value="[0-9-]+"/, ''));
    }
    expect(new Set(bodies.map((body) => /role="alert">([^<]+)/.exec(body)?.[1])).size).toBe(1);
  });

  describe('throttling that slows guessing without locking anyone out', () => {
    const attemptFrom = (address: string, credentials: Credentials, cookie?: string) =>
      server.app.inject({
        method: 'POST',
        url: '/auth/authorize',
        remoteAddress: address,
        headers: { ...FORM_HEADERS, origin: SERVER_ORIGIN, ...(cookie ? { cookie } : {}) },
        payload: form({ ...authorizeQuery(), ...credentialFields(credentials) }),
      });
    const wrongReception = { staff: { username: RECEPTION.username, password: 'not-the-password' } };
    const deviceCookie = (response: { headers: Record<string, unknown> }) =>
      [response.headers['set-cookie']]
        .flat()
        .map(String)
        .find((cookie) => cookie.startsWith('nz_appointments_device='))
        ?.split(';')[0];
    const later = async <T>(seconds: number, run: () => Promise<T>): Promise<T> => {
      clock = new Date(clock.getTime() + seconds * 1000);
      try {
        return await run();
      } finally {
        clock = NOW;
      }
    };

    it('slows an account down after five failures (429, Retry-After), and the right password passes after the short wait', async () => {
      // A success forgets the account's earlier failures (other tests').
      expect((await attemptFrom('203.0.113.9', { staff: RECEPTION })).statusCode).toBe(302);
      for (let attempt = 0; attempt < 5; attempt++)
        expect((await attemptFrom('203.0.113.10', wrongReception)).statusCode).toBe(401);
      const slowed = await attemptFrom('203.0.113.11', { staff: RECEPTION });
      expect(slowed.statusCode).toBe(429);
      expect(slowed.headers['retry-after']).toBe('1');
      expect(slowed.body).toMatch(/Wait 1 second and try again/);
      expect((await later(2, () => attemptFrom('203.0.113.11', { staff: RECEPTION }))).statusCode).toBe(302);
    });

    it('lets the right password through on a device the account signed in on, whatever is tried elsewhere', async () => {
      const first = await attemptFrom('198.51.100.7', { staff: RECEPTION });
      expect(first.statusCode).toBe(302);
      const known = deviceCookie(first) as string;
      expect(known).toMatch(/^nz_appointments_device=[\w-]{40,}$/);
      const deviceSetCookie = [first.headers['set-cookie']]
        .flat()
        .map(String)
        .find((found) => found.startsWith('nz_appointments_device='));
      expect(deviceSetCookie?.split('; ')).toEqual(
        expect.arrayContaining(['Path=/auth', expect.stringMatching(/^Max-Age=\d+$/), 'HttpOnly', 'SameSite=Lax']),
      );
      for (let attempt = 0; attempt < 10; attempt++) await attemptFrom('203.0.113.20', wrongReception);
      expect((await attemptFrom('203.0.113.21', { staff: RECEPTION })).statusCode).toBe(429);
      // The known device, even at the attacker's own address.
      expect((await attemptFrom('203.0.113.20', { staff: RECEPTION }, known)).statusCode).toBe(302);
      // Its own failures still count, and are slowed down too.
      for (let attempt = 0; attempt < 5; attempt++)
        expect((await attemptFrom('198.51.100.7', wrongReception, known)).statusCode).toBe(401);
      expect((await attemptFrom('198.51.100.7', { staff: RECEPTION }, known)).statusCode).toBe(429);
      expect((await later(2, () => attemptFrom('198.51.100.7', { staff: RECEPTION }, known))).statusCode).toBe(302);
      expect((await later(120, () => attemptFrom('203.0.113.21', { staff: RECEPTION }))).statusCode).toBe(302);
    });

    it('slows down one address spraying many usernames or NHIs, and not the others', async () => {
      for (let attempt = 0; attempt < 20; attempt++) {
        const credentials: Credentials =
          attempt % 2
            ? { staff: { username: `sprayed-${attempt}`, password: 'password1' } }
            : { patient: { ...PATIENT_A, nhi: `ZZZ${String(1000 + attempt)}` } };
        expect((await attemptFrom('192.0.2.99', credentials)).statusCode).toBe(401);
      }
      const slowed = await attemptFrom('192.0.2.99', { staff: { username: 'sprayed-last', password: 'password1' } });
      expect(slowed.statusCode).toBe(429);
      expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(0);
      expect(
        (await attemptFrom('192.0.2.100', { staff: { username: 'sprayed-last', password: 'password1' } })).statusCode,
      ).toBe(401);
    });

    it('is kept in the database: another server on it (or this one restarted) goes on counting', async () => {
      for (let attempt = 0; attempt < 5; attempt++)
        expect(
          (await attemptFrom('203.0.113.40', { patient: { ...PATIENT_B, portalCode: 'WRNG-CODE' } })).statusCode,
        ).toBe(401);
      const other = await buildServer({
        store: server.opened.store,
        timeZone: TIME_ZONE,
        now: () => clock,
        auth: { store: server.authStore, staffClient: null, redirectOrigins: [] },
      });
      try {
        const answer = await other.inject({
          method: 'POST',
          url: '/auth/authorize',
          remoteAddress: '203.0.113.41',
          headers: { ...FORM_HEADERS, origin: SERVER_ORIGIN },
          payload: form({ ...authorizeQuery(), ...credentialFields({ patient: PATIENT_B }) }),
        });
        expect(answer.statusCode).toBe(429);
      } finally {
        await other.close();
      }
      expect((await later(2, () => attemptFrom('203.0.113.41', { patient: PATIENT_B }))).statusCode).toBe(302);
    });
  });

  it('refuses a sign-in form sent from another site', async () => {
    const response = await submitSignIn(
      server.app,
      authorizeQuery(),
      { staff: RECEPTION },
      { origin: 'https://evil.example.com' },
    );
    expect(response.statusCode).toBe(403);
    expect(response.headers.location).toBeUndefined();
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('accepts portal codes without the hyphen, in lower case, and dates of birth written the NZ way', async () => {
    const [year, month, day] = PATIENT_A.birthDate.split('-');
    const patient = {
      nhi: PATIENT_A.nhi.toLowerCase(),
      birthDate: `${day}/${month}/${year}`,
      portalCode: PATIENT_A.portalCode.replace('-', '').toLowerCase(),
    };
    const params = redirectParams(await submitSignIn(server.app, authorizeQuery(), { patient }));
    expect(params.get('code')).toMatch(/^[\w-]{40,}$/);
  });

  it('sets an HttpOnly, SameSite=Lax session cookie limited to /auth', async () => {
    const response = await submitSignIn(server.app, authorizeQuery(), { staff: RECEPTION });
    const cookie = sessionSetCookie(response);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/auth(;|$)/);
    expect(cookie).toMatch(/Max-Age=28800/);
  });
});

describe('the authorization code', () => {
  async function codeFor(challenge: string, redirectUri = REDIRECT_URI): Promise<string> {
    const params = redirectParams(
      await submitSignIn(server.app, authorizeQuery({ challenge, redirectUri }), { staff: RECEPTION }),
    );
    return params.get('code') as string;
  }
  const exchange = (code: string, verifier: string, redirectUri = REDIRECT_URI) =>
    postToken(server.app, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: APP_CLIENT_ID,
      code_verifier: verifier,
    });

  it('gives tokens once, for the matching verifier, with no-store', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    const first = await exchange(code, verifier);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    const tokens = first.json<TokenResponse>();
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(tokens.refresh_token).toMatch(/^[\w-]{40,}$/);
    const second = await exchange(code, verifier);
    expect(second.statusCode).toBe(400);
    expect(second.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('revokes what its first exchange issued when it is used again (RFC 9700 4.2.1)', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    const tokens = (await exchange(code, verifier)).json<TokenResponse>();
    expect((await exchange(code, verifier)).json()).toMatchObject({ error: 'invalid_grant' });
    const refreshed = await postToken(server.app, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
      client_id: APP_CLIENT_ID,
    });
    expect(refreshed.statusCode).toBe(400);
    expect(refreshed.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a wrong verifier, and the code is then spent', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    const wrong = await exchange(code, pkce().verifier);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/code_verifier/),
    });
    expect((await exchange(code, verifier)).json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses another redirect_uri than the one it was issued for', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    expect((await exchange(code, verifier, `${SERVER_ORIGIN}/elsewhere`)).json()).toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('expires after 60 seconds', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    clock = new Date(NOW.getTime() + 61_000);
    try {
      expect((await exchange(code, verifier)).json()).toMatchObject({ error: 'invalid_grant' });
    } finally {
      clock = NOW;
    }
  });

  it('cannot be exchanged by the confidential client', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    const response = await postToken(server.app, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: STAFF_CLIENT.id,
      client_secret: STAFF_CLIENT.secret,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'unauthorized_client' });
  });
});

describe('tokens', () => {
  it('give a patient their own patient context, patient scopes and an id token naming them', async () => {
    const { tokens } = await signIn(
      server.app,
      { patient: PATIENT_A },
      { scope: 'openid fhirUser launch/patient patient/*.cruds' },
    );
    expect(tokens.patient).toBe('pat-a');
    expect(tokens.need_patient_banner).toBe(false);
    expect(tokens.scope.split(' ').sort()).toEqual(
      [
        'fhirUser',
        'launch/patient',
        'openid',
        'patient/Appointment.cruds',
        'patient/Location.rs',
        'patient/Patient.rs',
        'patient/Practitioner.rs',
        'patient/Schedule.rs',
        'patient/Slot.rs',
      ].sort(),
    );
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({
      iss: `${SERVER_ORIGIN}/auth`,
      aud: FHIR_BASE,
      sub: 'patient:pat-a',
      patient: 'pat-a',
      client_id: APP_CLIENT_ID,
      fhirUser: `${FHIR_BASE}/Patient/pat-a`,
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(900);
    expect(decodeJwt(tokens.id_token as string)).toMatchObject({
      aud: APP_CLIENT_ID,
      fhirUser: `${FHIR_BASE}/Patient/pat-a`,
      name: 'Aroha Ngātai',
    });
  });

  it('give staff user scopes and no patient context', async () => {
    const { tokens } = await signIn(
      server.app,
      { staff: RECEPTION },
      { scope: 'openid fhirUser user/*.* patient/*.rs' },
    );
    expect(tokens.scope).toBe('user/*.cruds openid fhirUser');
    expect(tokens.patient).toBeUndefined();
    // fhirUser: the receptionist's own Practitioner record (demoAccounts.ts).
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      sub: 'staff:reception',
      fhirUser: `${FHIR_BASE}/Practitioner/staff-reception`,
    });
  });

  it('grant only what was asked for', async () => {
    const { tokens } = await signIn(server.app, { staff: RECEPTION }, { scope: 'user/Appointment.rs user/Patient.r' });
    expect(tokens.scope).toBe('user/Appointment.rs user/Patient.r');
  });

  it('are renewed with the refresh token, which rotates: the old one stops working', async () => {
    const { tokens } = await signIn(server.app, { patient: PATIENT_A });
    const renewed = await postToken(server.app, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
      client_id: APP_CLIENT_ID,
    });
    expect(renewed.statusCode, renewed.body).toBe(200);
    const next = renewed.json<TokenResponse>();
    expect(next.patient).toBe('pat-a');
    expect(next.scope).toBe(tokens.scope);
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    const reused = await postToken(server.app, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
      client_id: APP_CLIENT_ID,
    });
    expect(reused.statusCode).toBe(400);
    expect(reused.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('revoke the whole family when a rotated refresh token is used again: the newer one stops working too (RFC 9700 4.14.2)', async () => {
    const { tokens } = await signIn(server.app, { patient: PATIENT_A });
    const refresh = (token: string) =>
      postToken(server.app, { grant_type: 'refresh_token', refresh_token: token, client_id: APP_CLIENT_ID });
    const next = (await refresh(tokens.refresh_token as string)).json<TokenResponse>();
    expect((await refresh(tokens.refresh_token as string)).json()).toMatchObject({ error: 'invalid_grant' });
    expect((await refresh(next.refresh_token as string)).json()).toMatchObject({ error: 'invalid_grant' });
    // Another sign-in of the same person is another family, untouched.
    const other = await signIn(server.app, { patient: PATIENT_A });
    expect((await refresh(other.tokens.refresh_token as string)).statusCode).toBe(200);
  });

  it('stay usable after a refresh refused for its scope', async () => {
    const { tokens } = await signIn(server.app, { staff: RECEPTION }, { scope: 'user/Appointment.rs' });
    const refused = await postToken(server.app, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
      client_id: APP_CLIENT_ID,
      scope: 'system/*.cruds',
    });
    expect(refused.json()).toMatchObject({ error: 'invalid_scope' });
    const renewed = await postToken(server.app, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
      client_id: APP_CLIENT_ID,
    });
    expect(renewed.statusCode, renewed.body).toBe(200);
  });

  it('can be refreshed to fewer scopes but never more', async () => {
    const { tokens } = await signIn(server.app, { staff: RECEPTION }, { scope: 'user/Appointment.rs' });
    const narrower = await postToken(server.app, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
      client_id: APP_CLIENT_ID,
      scope: 'user/*.cruds',
    });
    expect(narrower.json<TokenResponse>().scope).toBe('user/Appointment.rs');
  });

  it('are not refreshed after the sign-in has ended (8 hours)', async () => {
    const { tokens } = await signIn(server.app, { staff: RECEPTION });
    clock = new Date(NOW.getTime() + 8 * 60 * 60_000 + 1000);
    try {
      const response = await postToken(server.app, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token as string,
        client_id: APP_CLIENT_ID,
      });
      expect(response.json()).toMatchObject({ error: 'invalid_grant' });
    } finally {
      clock = NOW;
    }
  });
});

describe('single sign-on', () => {
  it('sends a signed-in browser straight back with a new code, and prompt=login shows the page again', async () => {
    const { cookie } = await signIn(server.app, { patient: PATIENT_A });
    const again = await authorizePage(authorizeQuery(), { cookie });
    expect(redirectParams(again).get('code')).toMatch(/^[\w-]{40,}$/);
    const silent = await authorizePage(authorizeQuery({ extra: { prompt: 'none' } }), { cookie });
    expect(redirectParams(silent).get('code')).toMatch(/^[\w-]{40,}$/);
    expect((await authorizePage(authorizeQuery({ extra: { prompt: 'login' } }), { cookie })).statusCode).toBe(200);
  });

  it('ends with sign-out: the cookie no longer signs anyone in, and the app is sent back only to a trusted address', async () => {
    const { cookie, tokens } = await signIn(server.app, { patient: PATIENT_A });
    const out = await signOutWith(cookie, tokens, `${OTHER_APP_ORIGIN}/signed-out`);
    expect(out.statusCode).toBe(302);
    expect(out.headers.location).toBe(`${OTHER_APP_ORIGIN}/signed-out`);
    const cleared = String(out.headers['set-cookie']).split('; ');
    expect(cleared[0]).toBe('nz_appointments_session=');
    expect(cleared).toEqual(expect.arrayContaining(['Path=/auth', 'Max-Age=0']));
    expect((await authorizePage(authorizeQuery(), { cookie })).statusCode).toBe(200);
    const untrusted = await get(`/auth/sign-out?${form({ post_logout_redirect_uri: 'https://evil.example.com/' })}`);
    expect(untrusted.statusCode).toBe(200);
    expect(untrusted.body).toContain('<h1>You are signed out</h1>');
  });

  it("asks before a sign-out that is not the app's own (no id_token_hint, or another user's), and only this site can confirm", async () => {
    const { cookie, tokens } = await signIn(server.app, { staff: RECEPTION });
    const other = await signIn(server.app, { patient: PATIENT_A });
    for (const query of [
      {},
      { id_token_hint: other.tokens.id_token as string },
      { id_token_hint: 'not.a.token' },
    ] as Array<Record<string, string>>) {
      const asked = await get(
        `/auth/sign-out?${form({ ...query, post_logout_redirect_uri: `${SERVER_ORIGIN}/signed-out` })}`,
        { cookie },
      );
      expect(asked.statusCode).toBe(200);
      expect(asked.body).toContain('<h1>Sign out?</h1>');
      expect(asked.body).toContain('<form method="post" action="/auth/sign-out">');
      expect(asked.headers['set-cookie']).toBeUndefined();
    }
    expect(
      redirectParams(await authorizePage(authorizeQuery({ extra: { prompt: 'none' } }), { cookie })).get('code'),
    ).toBeTruthy();
    const confirm = (origin: string) =>
      server.app.inject({
        method: 'POST',
        url: '/auth/sign-out',
        headers: { ...FORM_HEADERS, origin, cookie },
        payload: form({ post_logout_redirect_uri: `${SERVER_ORIGIN}/signed-out` }),
      });
    expect((await confirm('https://evil.example.com')).statusCode).toBe(403);
    const confirmed = await confirm(SERVER_ORIGIN);
    expect(confirmed.statusCode).toBe(302);
    expect(confirmed.headers.location).toBe(`${SERVER_ORIGIN}/signed-out`);
    expect(
      (
        await postToken(server.app, {
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token as string,
          client_id: APP_CLIENT_ID,
        })
      ).json(),
    ).toMatchObject({ error: 'invalid_grant' });
  });

  it("revokes the session's refresh tokens at sign-out", async () => {
    const { tokens, cookie } = await signIn(server.app, { staff: RECEPTION });
    const silent = await authorizePage(authorizeQuery({ extra: { prompt: 'none' } }), { cookie });
    expect(redirectParams(silent).get('code')).toBeTruthy();
    await signOutWith(cookie, tokens);
    const refreshed = await postToken(server.app, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
      client_id: APP_CLIENT_ID,
    });
    expect(refreshed.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('ignores a forged or expired session cookie', async () => {
    expect(
      (await authorizePage(authorizeQuery(), { cookie: 'nz_appointments_session=forgedforgedforgedforgedforged' }))
        .statusCode,
    ).toBe(200);
    const { cookie } = await signIn(server.app, { staff: RECEPTION });
    clock = new Date(NOW.getTime() + 8 * 60 * 60_000 + 1000);
    try {
      expect((await authorizePage(authorizeQuery(), { cookie })).statusCode).toBe(200);
    } finally {
      clock = NOW;
    }
  });
});

describe('client_credentials', () => {
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  it('gives the confidential client system scopes, with HTTP Basic or in the body, and no refresh token', async () => {
    for (const response of [
      await postToken(
        server.app,
        { grant_type: 'client_credentials' },
        { authorization: basic(STAFF_CLIENT.id, STAFF_CLIENT.secret) },
      ),
      await postToken(server.app, {
        grant_type: 'client_credentials',
        client_id: STAFF_CLIENT.id,
        client_secret: STAFF_CLIENT.secret,
      }),
    ]) {
      expect(response.statusCode, response.body).toBe(200);
      const tokens = response.json<TokenResponse>();
      expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'system/*.cruds' });
      expect(tokens.refresh_token).toBeUndefined();
      expect(decodeJwt(tokens.access_token)).toMatchObject({
        sub: `client:${STAFF_CLIENT.id}`,
        client_id: STAFF_CLIENT.id,
      });
    }
  });

  it('narrows to the scope asked for, and cannot get user or patient scopes', async () => {
    const response = await postToken(server.app, {
      grant_type: 'client_credentials',
      client_id: STAFF_CLIENT.id,
      client_secret: STAFF_CLIENT.secret,
      scope: 'system/Slot.rs user/*.cruds',
    });
    expect(response.json<TokenResponse>().scope).toBe('system/Slot.rs');
    const refused = await postToken(server.app, {
      grant_type: 'client_credentials',
      client_id: STAFF_CLIENT.id,
      client_secret: STAFF_CLIENT.secret,
      scope: 'user/*.cruds',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('refuses a wrong secret or unknown client with 401 invalid_client', async () => {
    const wrongBasic = await postToken(
      server.app,
      { grant_type: 'client_credentials' },
      { authorization: basic(STAFF_CLIENT.id, 'wrong-secret') },
    );
    expect(wrongBasic.statusCode).toBe(401);
    expect(wrongBasic.json()).toMatchObject({ error: 'invalid_client' });
    expect(wrongBasic.headers['www-authenticate']).toMatch(/^Basic/);
    const unknown = await postToken(server.app, {
      grant_type: 'client_credentials',
      client_id: 'nobody',
      client_secret: STAFF_CLIENT.secret,
    });
    expect(unknown.statusCode).toBe(401);
    const publicClient = await postToken(server.app, { grant_type: 'client_credentials', client_id: APP_CLIENT_ID });
    expect(publicClient.statusCode).toBe(400);
    expect(publicClient.json()).toMatchObject({ error: 'unauthorized_client' });
  });

  it('answers malformed token requests as RFC 6749 errors', async () => {
    expect(
      (await postToken(server.app, { grant_type: 'password', username: 'reception', password: 'x' })).json(),
    ).toMatchObject({ error: 'unsupported_grant_type' });
    expect((await postToken(server.app, {})).json()).toMatchObject({ error: 'invalid_request' });
    const json = await server.app.inject({
      method: 'POST',
      url: '/auth/token',
      headers: { 'content-type': 'application/json' },
      payload: '{"grant_type":"client_credentials"}',
    });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('is off, saying so, when no confidential client is configured', async () => {
    const off = await startTestServer({ clientCredentials: false });
    try {
      const response = await postToken(off.app, {
        grant_type: 'client_credentials',
        client_id: STAFF_CLIENT.id,
        client_secret: STAFF_CLIENT.secret,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        error: 'unauthorized_client',
        error_description: expect.stringMatching(/STAFF_CLIENT_ID/),
      });
      expect(
        (await off.app.inject({ url: '/fhir/.well-known/smart-configuration' })).json().grant_types_supported,
      ).not.toContain('client_credentials');
    } finally {
      await off.close();
    }
  });
});

describe('CORS for an app on another origin', () => {
  it('lets a listed origin call the token endpoint, and no other', async () => {
    const preflight = await server.app.inject({
      method: 'OPTIONS',
      url: '/auth/token',
      headers: { origin: OTHER_APP_ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(OTHER_APP_ORIGIN);
    const other = await postToken(
      server.app,
      { grant_type: 'client_credentials' },
      { origin: 'https://evil.example.com' },
    );
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('EHR launch', () => {
  async function launchFor(patient: string, token: string) {
    return server.app.inject({
      method: 'POST',
      url: '/auth/launch',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: JSON.stringify({ patient }),
    });
  }

  it('opens the app on the launched patient for the staff member who signs in', async () => {
    const staff = await signIn(server.app, { staff: RECEPTION });
    const launched = await launchFor('pat-b', staff.tokens.access_token);
    expect(launched.statusCode, launched.body).toBe(200);
    const { launch } = launched.json<{ launch: string; expires_in: number }>();
    const { tokens } = await signIn(server.app, { staff: RECEPTION }, { scope: 'launch openid user/*.cruds', launch });
    expect(tokens.patient).toBe('pat-b');
    expect(tokens.need_patient_banner).toBe(true);
    expect(tokens.scope).toBe('user/*.cruds openid launch');
  });

  it('gives a patient who follows a launch link their own context, never the launched one', async () => {
    const launch = (await launchFor('pat-b', await machineToken(server.app))).json<{ launch: string }>().launch;
    const { tokens } = await signIn(server.app, { patient: PATIENT_A }, { scope: 'launch patient/*.rs', launch });
    expect(tokens.patient).toBe('pat-a');
  });

  it('is refused without a token, to a patient, and for a patient that does not exist', async () => {
    const anonymous = await server.app.inject({
      method: 'POST',
      url: '/auth/launch',
      headers: { 'content-type': 'application/json' },
      payload: '{"patient":"pat-a"}',
    });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    const patient = await signIn(server.app, { patient: PATIENT_A });
    expect((await launchFor('pat-a', patient.tokens.access_token)).statusCode).toBe(403);
    expect((await launchFor('pat-nobody', await machineToken(server.app))).statusCode).toBe(422);
  });

  it('expires after five minutes', async () => {
    const launch = (await launchFor('pat-b', await machineToken(server.app))).json<{ launch: string }>().launch;
    clock = new Date(NOW.getTime() + 301_000);
    try {
      const params = redirectParams(await authorizePage(authorizeQuery({ scope: 'launch user/*.cruds', launch })));
      expect(params.get('error')).toBe('invalid_request');
    } finally {
      clock = NOW;
    }
  });
});

describe('an app served from a listed origin', () => {
  it('is sent back there with a code after sign-in', async () => {
    const params = redirectParams(
      await submitSignIn(server.app, authorizeQuery({ redirectUri: `${OTHER_APP_ORIGIN}/signed-in` }), {
        staff: RECEPTION,
      }),
    );
    expect(params.get('code')).toMatch(/^[\w-]{40,}$/);
  });
});
