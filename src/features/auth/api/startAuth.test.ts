import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PENDING_SIGN_IN_KEY, type KeyValueStorage } from './authorizeRequest';
import { s256Challenge } from './pkce';
import { startAuth, type AuthStart, type StartAuthOptions } from './startAuth';

const APP = 'http://app.test/';
const FHIR = 'http://fhir.test/r4';
const AUTHORIZE = 'http://auth.test/authorize';
const TOKEN = 'http://auth.test/token';
const SMART_CONFIGURATION = {
  issuer: 'http://auth.test',
  authorization_endpoint: AUTHORIZE,
  token_endpoint: TOKEN,
  end_session_endpoint: 'http://auth.test/sign-out',
};

class MemoryStorage implements KeyValueStorage {
  readonly values = new Map<string, string>();
  getItem = (key: string) => this.values.get(key) ?? null;
  setItem = (key: string, value: string) => void this.values.set(key, value);
  removeItem = (key: string) => void this.values.delete(key);
}

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let storage: MemoryStorage;
let tokenRequests: URLSearchParams[];
let navigations: string[];
beforeEach(() => {
  storage = new MemoryStorage();
  tokenRequests = [];
  navigations = [];
});

function smartServer(
  tokenAnswer: Record<string, unknown> = {
    access_token: 'at-1',
    token_type: 'Bearer',
    expires_in: 900,
    scope: 'user/*.cruds openid',
    refresh_token: 'rt-1',
  },
) {
  server.use(
    http.get(`${FHIR}/.well-known/smart-configuration`, () => HttpResponse.json(SMART_CONFIGURATION)),
    http.post(TOKEN, async ({ request }) => {
      expect(request.headers.get('Content-Type')).toBe('application/x-www-form-urlencoded');
      tokenRequests.push(new URLSearchParams(await request.text()));
      return HttpResponse.json(tokenAnswer);
    }),
  );
}

function start(url: string, overrides: Partial<StartAuthOptions> = {}): Promise<AuthStart> {
  return startAuth({
    fhirBaseUrl: FHIR,
    appBase: APP,
    location: new URL(url, APP),
    here: () => new URL('/book?patient=pat-1', APP),
    storage,
    fetch: (input, init) => fetch(input, init),
    now: () => Date.parse('2026-11-24T00:00:00Z'),
    navigate: (target) => navigations.push(target),
    ...overrides,
  });
}

function expectKind<K extends AuthStart['kind']>(result: AuthStart, kind: K): Extract<AuthStart, { kind: K }> {
  expect(result.kind).toBe(kind);
  return result as Extract<AuthStart, { kind: K }>;
}

/** Runs the silent first request and answers it on the callback, as the server would. */
async function signedInThrough(answer: (authorize: URL) => Record<string, string>): Promise<AuthStart> {
  const authorize = new URL(expectKind(await start('/appointments?patient=pat-1'), 'redirect').url);
  const callback = new URL('/signed-in', APP);
  for (const [name, value] of Object.entries(answer(authorize))) callback.searchParams.set(name, value);
  return start(callback.href);
}

describe('discovery', () => {
  it('runs without sign-in against a server that publishes no SMART configuration', async () => {
    server.use(
      http.get(`${FHIR}/.well-known/smart-configuration`, () => new HttpResponse('Not found', { status: 404 })),
    );
    expect(await start('/')).toEqual({ kind: 'open' });
  });

  it('treats an answer without SMART endpoints as an open server too', async () => {
    server.use(
      http.get(
        `${FHIR}/.well-known/smart-configuration`,
        () => new HttpResponse('<html>hello</html>', { headers: { 'Content-Type': 'text/html' } }),
      ),
    );
    expect(await start('/')).toEqual({ kind: 'open' });
  });

  it('does not take a failing server for an open one', async () => {
    server.use(http.get(`${FHIR}/.well-known/smart-configuration`, () => new HttpResponse(null, { status: 503 })));
    expect(expectKind(await start('/'), 'sign-in').problem).toMatch(/failed \(503\)/);
  });
});

describe('signing in with PKCE', () => {
  it('first asks silently, with an S256 challenge of a verifier kept only for the round trip', async () => {
    smartServer();
    const url = new URL(expectKind(await start('/appointments?patient=pat-1'), 'redirect').url);
    expect(url.origin + url.pathname).toBe(AUTHORIZE);
    const pending = JSON.parse(storage.getItem(PENDING_SIGN_IN_KEY) ?? '{}');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'nz-appointments-app',
      redirect_uri: 'http://app.test/signed-in',
      scope: 'openid fhirUser launch/patient offline_access user/*.cruds patient/*.cruds',
      state: pending.state,
      aud: FHIR,
      code_challenge: await s256Challenge(pending.verifier),
      code_challenge_method: 'S256',
      prompt: 'none',
    });
    expect(pending.verifier).toMatch(/^[\w-]{43}$/);
    expect(pending.returnTo).toBe('/appointments?patient=pat-1');
  });

  it('exchanges the code as the public client and goes back where the person was, keeping no token in storage', async () => {
    smartServer();
    let verifier = '';
    const result = expectKind(
      await signedInThrough((authorize) => {
        verifier = JSON.parse(storage.getItem(PENDING_SIGN_IN_KEY) ?? '{}').verifier;
        return { code: 'code-1', state: authorize.searchParams.get('state') ?? '', iss: 'http://auth.test' };
      }),
      'signed-in',
    );
    expect(Object.fromEntries(tokenRequests[0])).toEqual({
      grant_type: 'authorization_code',
      code: 'code-1',
      redirect_uri: 'http://app.test/signed-in',
      client_id: 'nz-appointments-app',
      code_verifier: verifier,
    });
    expect(result.path).toBe('/appointments?patient=pat-1');
    expect(result.session.role).toEqual({ kind: 'staff' });
    expect(await result.session.accessToken()).toBe('at-1');
    expect(storage.values.size).toBe(0);
  });

  it('refuses an answer whose state is not the one this tab sent, without asking for a token', async () => {
    smartServer();
    const result = expectKind(
      await signedInThrough(() => ({ code: 'code-1', state: 'someone-elses-state' })),
      'sign-in',
    );
    expect(result.problem).toMatch(/does not belong to a sign-in started here/);
    expect(tokenRequests).toEqual([]);
  });

  it('refuses an answer from another issuer than the one discovered (mix-up)', async () => {
    smartServer();
    const result = expectKind(
      await signedInThrough((authorize) => ({
        code: 'code-1',
        state: authorize.searchParams.get('state') ?? '',
        iss: 'http://evil.test',
      })),
      'sign-in',
    );
    expect(result.problem).toMatch(/does not belong/);
    expect(tokenRequests).toEqual([]);
  });

  it('shows the sign-in button, quietly, when nobody is signed in at the server', async () => {
    smartServer();
    const result = expectKind(
      await signedInThrough((authorize) => ({
        error: 'login_required',
        state: authorize.searchParams.get('state') ?? '',
      })),
      'sign-in',
    );
    expect(result.problem).toBeUndefined();
    const interactive = new URL(await result.signIn());
    expect(interactive.searchParams.has('prompt')).toBe(false);
  });

  it('after signing out offers sign-in rather than signing straight back in', async () => {
    smartServer();
    expect(expectKind(await start('/signed-out'), 'sign-in').signedOut).toBe(true);
  });

  it('reads a patient sign-in as the patient screen, and the name from the id token', async () => {
    const idToken = `x.${btoa(JSON.stringify({ name: 'Aroha Ngata' })).replace(/=+$/, '')}.y`;
    smartServer({
      access_token: 'at-p',
      token_type: 'bearer',
      expires_in: 900,
      scope: 'patient/Appointment.cruds patient/Slot.rs launch/patient',
      patient: 'pat-1',
      id_token: idToken,
    });
    const result = expectKind(
      await signedInThrough((authorize) => ({ code: 'c', state: authorize.searchParams.get('state') ?? '' })),
      'signed-in',
    );
    expect(result.session.role).toEqual({ kind: 'patient', patientId: 'pat-1' });
    expect(result.session.name).toBe('Aroha Ngata');
  });
});

describe('EHR launch', () => {
  it('asks for the launch context with the launch parameter, and opens on the launched patient', async () => {
    smartServer({
      access_token: 'at-l',
      token_type: 'Bearer',
      expires_in: 900,
      scope: 'user/*.cruds patient/*.cruds launch',
      patient: 'pat-9',
    });
    const url = new URL(
      expectKind(await start(`/?iss=${encodeURIComponent(FHIR)}&launch=opaque-launch`), 'redirect').url,
    );
    expect(url.searchParams.get('launch')).toBe('opaque-launch');
    expect(url.searchParams.get('scope')?.split(' ')).toContain('launch');
    expect(url.searchParams.has('prompt')).toBe(false);
    const callback = new URL(`/signed-in?code=c&state=${url.searchParams.get('state')}`, APP);
    const result = expectKind(await start(callback.href), 'signed-in');
    expect(result.session.role).toEqual({ kind: 'staff', launchedPatient: 'pat-9' });
  });

  it('will not sign in at a server it was not set up for', async () => {
    smartServer();
    const result = expectKind(await start('/?iss=http%3A%2F%2Fevil.test%2Ffhir&launch=x'), 'sign-in');
    expect(result.problem).toMatch(/set up for http:\/\/fhir\.test\/r4/);
    expect(storage.values.size).toBe(0);
  });
});
