import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFhirClient, FhirRequestError } from '../../../lib/fhirClient';
import { RENEW_BEFORE_MS, SmartSession } from './smartSession';
import type { TokenSet } from './tokens';

const FHIR = 'http://fhir.test/r4';
const TOKEN = 'http://auth.test/token';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let now: number;
let signInAgainCalls: number;
let refreshes: URLSearchParams[];
let validToken: string;
let seenTokens: Array<string | null>;

beforeEach(() => {
  now = Date.parse('2026-11-24T00:00:00Z');
  signInAgainCalls = 0;
  refreshes = [];
  validToken = 'at-1';
  seenTokens = [];
  server.use(
    http.get(`${FHIR}/Patient/pat-1`, ({ request }) => {
      const sent = request.headers.get('Authorization');
      seenTokens.push(sent);
      if (sent !== `Bearer ${validToken}`)
        return HttpResponse.json(
          { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] },
          { status: 401 },
        );
      return HttpResponse.json({ resourceType: 'Patient', id: 'pat-1' });
    }),
  );
});

function refreshAnswers(answer: (form: URLSearchParams) => Response | Promise<Response>) {
  server.use(
    http.post(TOKEN, async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      refreshes.push(form);
      return answer(form);
    }),
  );
}

const rotating = (form: URLSearchParams) => {
  const next = refreshes.length + 1;
  validToken = `at-${next}`;
  expect(form.get('refresh_token')).toBe(`rt-${next - 1}`);
  return HttpResponse.json({
    access_token: `at-${next}`,
    token_type: 'Bearer',
    expires_in: 900,
    refresh_token: `rt-${next}`,
  });
};

function session(tokens: Partial<TokenSet> = {}) {
  const smart = new SmartSession({
    endpoints: {
      authorizationEndpoint: 'http://auth.test/authorize',
      tokenEndpoint: TOKEN,
      endSessionEndpoint: 'http://auth.test/sign-out',
    },
    tokens: { accessToken: 'at-1', expiresAt: now + 900_000, scope: 'user/*.cruds', refreshToken: 'rt-1', ...tokens },
    fetch: (input, init) => fetch(input, init),
    now: () => now,
    signInAgain: () => {
      signInAgainCalls += 1;
    },
  });
  return { smart, client: createFhirClient(FHIR, null, 'http://app.test/', smart) };
}

describe('a signed-in session', () => {
  it('sends the access token as a Bearer token on every request', async () => {
    const { client } = session();
    await client.read('Patient', 'pat-1');
    await client.read('Patient', 'pat-1');
    expect(seenTokens).toEqual(['Bearer at-1', 'Bearer at-1']);
    expect(refreshes).toEqual([]);
  });

  it('renews with the refresh token shortly before the access token expires', async () => {
    refreshAnswers(rotating);
    const { client } = session();
    now += 900_000 - RENEW_BEFORE_MS + 1;
    await client.read('Patient', 'pat-1');
    expect(refreshes).toHaveLength(1);
    expect(Object.fromEntries(refreshes[0])).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt-1',
      client_id: 'nz-appointments-app',
    });
    expect(seenTokens).toEqual(['Bearer at-2']);
  });

  it('renews once when the server refuses a token early, and tries again with the new one', async () => {
    refreshAnswers(rotating);
    validToken = 'revoked-meanwhile';
    const { client } = session();
    // Two requests refused at once share one renewal: the rotated refresh token must not be used twice.
    const results = await Promise.all([client.read('Patient', 'pat-1'), client.read('Patient', 'pat-1')]);
    expect(results.map((result) => result.resource.id)).toEqual(['pat-1', 'pat-1']);
    expect(refreshes).toHaveLength(1);
    expect(seenTokens.filter((token) => token === 'Bearer at-2')).toHaveLength(2);
    expect(signInAgainCalls).toBe(0);
  });

  it('asks for sign-in again when renewal is refused, and says so', async () => {
    refreshAnswers(() =>
      HttpResponse.json({ error: 'invalid_grant', error_description: 'Sign in again.' }, { status: 400 }),
    );
    validToken = 'nothing-works';
    const { client, smart } = session();
    const failure = await client.read('Patient', 'pat-1').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FhirRequestError);
    expect((failure as FhirRequestError).status).toBe(401);
    expect((failure as FhirRequestError).message).toMatch(/sign-in has ended/);
    expect(signInAgainCalls).toBe(1);
    expect(smart.signedIn).toBe(false);
    // Nothing more goes out with a token known to be dead.
    await expect(client.read('Patient', 'pat-1')).rejects.toThrow(/sign-in has ended/);
    expect(seenTokens).toHaveLength(1);
  });

  it('keeps the tokens through a dropped connection to the token endpoint while they still work', async () => {
    refreshAnswers(() => HttpResponse.error());
    const { client, smart } = session();
    now += 900_000 - RENEW_BEFORE_MS + 1;
    await client.read('Patient', 'pat-1');
    expect(seenTokens).toEqual(['Bearer at-1']);
    expect(smart.signedIn).toBe(true);
    expect(signInAgainCalls).toBe(0);
  });

  it('signs out by forgetting the tokens and ending the server session, coming back to the app', async () => {
    const { client, smart } = session();
    const url = new URL(smart.signOut('http://app.test/signed-out'));
    expect(url.origin + url.pathname).toBe('http://auth.test/sign-out');
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe('http://app.test/signed-out');
    await expect(client.read('Patient', 'pat-1')).rejects.toThrow(/sign-in has ended/);
  });

  it('sends its id token as the hint, so the server signs out without asking', () => {
    const { smart } = session({ idToken: 'id-1' });
    expect(new URL(smart.signOut('http://app.test/signed-out')).searchParams.get('id_token_hint')).toBe('id-1');
  });
});
