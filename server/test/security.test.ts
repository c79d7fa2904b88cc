/**
 * Security, server side: security headers on every response (API answers, errors of every kind,
 * the app's static files), CORS off unless CORS_ORIGINS names origins, loopback-only by default,
 * and script-looking data returned as inert JSON.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Bundle, Patient } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NHI_SYSTEM } from '../../domain/identifiers';
import { ConfigError, configFromEnv } from '../cli/config';
import { contentSecurityPolicy } from '../http/securityHeaders';
import { NOW, proposal } from './fixtures';
import { FHIR_HEADERS, startTestServer, type TestServer } from './testServer';

const XSS = '<img src=x onerror=alert(1)>';
const ALLOWED = 'https://app.example.org';
const STRANGER = 'https://evil.example';

function expectSecurityHeaders(response: LightMyRequestResponse, what: string): void {
  const csp = String(response.headers['content-security-policy'] ?? '');
  expect(csp, `${what}: Content-Security-Policy`).toMatch(/default-src 'self'/);
  expect(csp, what).toMatch(/script-src 'self'(;|$)/);
  expect(csp, what).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(csp, what).toMatch(/frame-ancestors 'none'/);
  expect(csp, what).toMatch(/object-src 'none'/);
  expect(response.headers['x-content-type-options'], what).toBe('nosniff');
  expect(response.headers['x-frame-options'], what).toBe('DENY');
  expect(response.headers['referrer-policy'], what).toBe('no-referrer');
}

describe('security headers on every response', () => {
  let server: TestServer;
  let appDir: string;
  let withApp: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    appDir = mkdtempSync(join(tmpdir(), 'nz-appointments-static-'));
    mkdirSync(join(appDir, 'assets'));
    writeFileSync(
      join(appDir, 'index.html'),
      '<!doctype html><title>app</title><script type="module" src="/assets/app.js"></script>',
    );
    writeFileSync(join(appDir, 'assets', 'app.js'), 'export {};\n//# sourceMappingURL=app.js.map');
    writeFileSync(join(appDir, 'assets', 'app.js.map'), '{"version":3,"sourcesContent":["the whole source"]}');
    withApp = await startTestServer({ server: { staticDir: appDir } });
  });
  afterAll(async () => {
    await withApp.close();
    await server.close();
    rmSync(appDir, { recursive: true, force: true });
  });

  it('on API answers and on refusals of every kind', async () => {
    const cases: Array<[string, InjectOptions, number]> = [
      ['metadata', { method: 'GET', url: '/fhir/metadata' }, 200],
      ['read', { method: 'GET', url: '/fhir/Patient/pat-a', headers: server.authorized }, 200],
      ['search', { method: 'GET', url: '/fhir/Slot?status=free', headers: server.authorized }, 200],
      [
        'booking',
        {
          method: 'POST',
          url: '/fhir/Appointment',
          headers: server.authorized,
          payload: JSON.stringify(proposal({ time: '09:00' })),
        },
        201,
      ],
      ['unknown id', { method: 'GET', url: '/fhir/Patient/nobody', headers: server.authorized }, 404],
      [
        'broken JSON',
        { method: 'POST', url: '/fhir/Appointment', headers: server.authorized, payload: '{"resourceType":' },
        400,
      ],
      [
        'rule broken',
        {
          method: 'POST',
          url: '/fhir/Appointment',
          headers: server.authorized,
          payload: JSON.stringify({ ...proposal(), status: 'booked' }),
        },
        422,
      ],
      ['DELETE', { method: 'DELETE', url: '/fhir/Appointment/x', headers: server.authorized }, 405],
      ['XML only', { method: 'GET', url: '/fhir/Patient/pat-a', headers: { accept: 'application/fhir+xml' } }, 406],
      [
        'too large',
        {
          method: 'POST',
          url: '/fhir/Appointment',
          headers: server.authorized,
          payload: JSON.stringify({ comment: 'x'.repeat(300_000) }),
        },
        413,
      ],
      [
        'not JSON',
        {
          method: 'POST',
          url: '/fhir/Appointment',
          headers: { ...server.authorized, 'content-type': 'text/plain' },
          payload: 'hello',
        },
        415,
      ],
      ['no token', { method: 'GET', url: '/fhir/Patient/pat-a' }, 401],
      ['bad percent-encoding', { method: 'GET', url: '/fhir/Patient/%zz' }, 400],
      ['over-long id', { method: 'GET', url: `/fhir/Patient/${'a'.repeat(500)}` }, 404],
      ['nothing there', { method: 'GET', url: '/nowhere' }, 404],
      ['config', { method: 'GET', url: '/config.json' }, 200],
    ];
    for (const [what, request, status] of cases) {
      const response = await server.app.inject(request);
      expect(response.statusCode, `${what}: ${response.body.slice(0, 200)}`).toBe(status);
      expectSecurityHeaders(response, what);
    }
  });

  it("on the app's static files and its page fallback", async () => {
    for (const [what, url, accept] of [
      ['index', '/', 'text/html'],
      ['asset', '/assets/app.js', '*/*'],
      ['deep link', '/patients/pat-a/book', 'text/html'],
    ]) {
      const response = await withApp.app.inject({ method: 'GET', url, headers: { accept } });
      expect(response.statusCode, what).toBe(200);
      expectSecurityHeaders(response, what);
    }
  });

  it('does not serve source maps (they hold the whole source)', async () => {
    const map = await withApp.app.inject({ method: 'GET', url: '/assets/app.js.map', headers: { accept: '*/*' } });
    expect(map.statusCode).toBe(404);
    expect(map.body).not.toContain('the whole source');
  });

  it('lets browsers keep hashed assets for good, but revalidate the page so a new build is seen at once', async () => {
    const cacheOf = async (url: string, accept: string) =>
      (await withApp.app.inject({ method: 'GET', url, headers: { accept } })).headers['cache-control'];
    expect(await cacheOf('/assets/app.js', '*/*')).toBe('public, max-age=31536000, immutable');
    expect(await cacheOf('/', 'text/html')).toBe('no-cache');
    expect(await cacheOf('/patients/pat-a/book', 'text/html')).toBe('no-cache');
  });
});

describe('CORS', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('is off unless origins are configured: no Access-Control-Allow-Origin for anyone, preflights refused', async () => {
    const read = await server.app.inject({
      method: 'GET',
      url: '/fhir/Patient/pat-a',
      headers: { ...server.authorized, origin: STRANGER },
    });
    expect(read.statusCode).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await server.app.inject({
      method: 'OPTIONS',
      url: '/fhir/Appointment',
      headers: { origin: STRANGER, 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBeGreaterThanOrEqual(400);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  describe('with CORS_ORIGINS and sign-in on', () => {
    let corsServer: TestServer;
    let app: TestServer['app'];
    beforeAll(async () => {
      const { corsOrigins } = configFromEnv({ CORS_ORIGINS: `${ALLOWED}, http://localhost:5173` });
      corsServer = await startTestServer({ clientCredentials: false, server: { corsOrigins } });
      app = corsServer.app;
    });
    afterAll(() => corsServer.close());

    it('answers a listed origin, and its preflight before any token is asked for', async () => {
      const preflight = await app.inject({
        method: 'OPTIONS',
        url: '/fhir/Appointment/abc',
        headers: {
          origin: ALLOWED,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'authorization, content-type, if-match',
        },
      });
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(ALLOWED);
      expect(String(preflight.headers['access-control-allow-methods'])).toMatch(/PUT/);
      expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/Authorization/);
      expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/If-Match/);
      const read = await app.inject({
        method: 'GET',
        url: '/fhir/Patient/pat-a',
        headers: { ...FHIR_HEADERS, origin: ALLOWED },
      });
      expect(read.statusCode).toBe(401);
      expect(read.headers['access-control-allow-origin']).toBe(ALLOWED);
      expect(String(read.headers.vary)).toMatch(/Origin/);
      expect(String(read.headers['access-control-expose-headers'])).toMatch(/ETag/);
    });

    it('lets the headers and methods FHIR client libraries send through, and shows them what they read', async () => {
      const preflight = await app.inject({
        method: 'OPTIONS',
        url: '/fhir/Appointment',
        headers: {
          origin: ALLOWED,
          'access-control-request-method': 'DELETE',
          'access-control-request-headers':
            'x-medplum, if-none-exist, if-none-match, if-modified-since, prefer, mt-facilityid',
        },
      });
      expect(preflight.statusCode).toBe(204);
      const methods = String(preflight.headers['access-control-allow-methods']).split(/,\s*/);
      expect(methods).toEqual(expect.arrayContaining(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']));
      const allowed = String(preflight.headers['access-control-allow-headers']).toLowerCase().split(/,\s*/);
      for (const header of [
        'x-medplum',
        'if-none-exist',
        'if-none-match',
        'if-modified-since',
        'prefer',
        'mt-facilityid',
      ])
        expect(allowed, header).toContain(header);
      const read = await app.inject({ method: 'GET', url: '/fhir/metadata', headers: { origin: ALLOWED } });
      const exposed = String(read.headers['access-control-expose-headers']).toLowerCase().split(/,\s*/);
      expect(exposed).toEqual(expect.arrayContaining(['etag', 'location', 'content-location', 'last-modified']));
    });

    it('gives an unlisted origin nothing', async () => {
      const preflight = await app.inject({
        method: 'OPTIONS',
        url: '/fhir/Appointment',
        headers: { origin: STRANGER, 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      const read = await app.inject({ method: 'GET', url: '/fhir/metadata', headers: { origin: STRANGER } });
      expect(read.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  it('CORS_ORIGINS must be origins', () => {
    expect(configFromEnv({}).corsOrigins).toEqual([]);
    expect(configFromEnv({ CORS_ORIGINS: 'https://a.example, https://b.example:8443/' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example:8443',
    ]);
    for (const bad of ['*', 'a.example', 'https://a.example/path', 'ftp://a.example', 'javascript:alert(1)']) {
      expect(() => configFromEnv({ CORS_ORIGINS: bad }), bad).toThrow(ConfigError);
    }
  });
});

describe('listening address', () => {
  it('is loopback unless HOST says otherwise', () => {
    expect(configFromEnv({}).host).toBe('127.0.0.1');
    expect(configFromEnv({ HOST: '' }).host).toBe('127.0.0.1');
    expect(configFromEnv({ HOST: '0.0.0.0', PUBLIC_BASE_URL: 'https://clinic.example.nz/fhir' }).host).toBe('0.0.0.0');
  });

  it('needs PUBLIC_BASE_URL when it is not loopback', () => {
    expect(() => configFromEnv({ HOST: '0.0.0.0' })).toThrow(/PUBLIC_BASE_URL is required/);
    expect(configFromEnv({ HOST: '::1' }).host).toBe('::1');
  });
});

describe('the public origin is pinned', () => {
  let open: TestServer;
  let pinned: TestServer;
  beforeAll(async () => {
    open = await startTestServer();
    pinned = await startTestServer({ server: { publicBaseUrl: 'https://clinic.example.nz/fhir' } });
  });
  afterAll(async () => {
    await open.close();
    await pinned.close();
  });

  it('without PUBLIC_BASE_URL, answers only loopback names: 421 for any other Host', async () => {
    const evil = await open.app.inject({
      method: 'GET',
      url: '/fhir/.well-known/smart-configuration',
      headers: { host: 'evil.example' },
    });
    expect(evil.statusCode).toBe(421);
    expect(evil.json()).toMatchObject({ resourceType: 'OperationOutcome' });
    expect(evil.body).not.toContain('"authorization_endpoint"');
    const signIn = await open.app.inject({
      method: 'GET',
      url: '/auth/authorize?client_id=x',
      headers: { host: 'evil.example:8080' },
    });
    expect(signIn.statusCode).toBe(421);
    for (const host of ['localhost:8080', '127.0.0.1:8080', '[::1]:8080', 'localhost']) {
      expect(
        (await open.app.inject({ method: 'GET', url: '/fhir/metadata', headers: { host } })).statusCode,
        host,
      ).toBe(200);
    }
  });

  it('with PUBLIC_BASE_URL, answers only its host', async () => {
    expect(
      (await pinned.app.inject({ method: 'GET', url: '/fhir/metadata', headers: { host: 'clinic.example.nz' } }))
        .statusCode,
    ).toBe(200);
    expect(
      (await pinned.app.inject({ method: 'GET', url: '/fhir/metadata', headers: { host: 'localhost' } })).statusCode,
    ).toBe(421);
    expect(
      (
        await pinned.app.inject({
          method: 'GET',
          url: '/fhir/metadata',
          headers: { host: 'clinic.example.nz.evil.example' },
        })
      ).statusCode,
    ).toBe(421);
  });
});

describe('caching', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('forbids keeping any FHIR or auth answer but the public discovery documents', async () => {
    const cacheOf = async (method: 'GET' | 'POST', url: string, headers: Record<string, string> = server.authorized) =>
      (await server.app.inject({ method, url, headers })).headers['cache-control'];
    for (const url of [
      '/fhir/Patient/pat-a',
      '/fhir/Patient?name=ngata',
      '/fhir/Appointment?patient=pat-a',
      '/fhir/Nothing/x',
      '/fhir/Patient/nobody',
    ]) {
      expect(await cacheOf('GET', url), url).toBe('no-store');
    }
    expect(await cacheOf('GET', '/fhir/Patient/pat-a', {})).toBe('no-store');
    expect(await cacheOf('GET', '/auth/authorize?client_id=x')).toBe('no-store');
    expect(await cacheOf('POST', '/auth/token')).toBe('no-store');
    for (const url of ['/fhir/metadata', '/fhir/.well-known/smart-configuration', '/auth/jwks'])
      expect(await cacheOf('GET', url), url).not.toBe('no-store');
  });
});

describe('the content security policy', () => {
  it('lets the app connect to its own origin and the configured FHIR server only', async () => {
    expect(contentSecurityPolicy('/fhir')).toMatch(/connect-src 'self';/);
    expect(contentSecurityPolicy('https://fhir.example.org/r4')).toMatch(
      /connect-src 'self' https:\/\/fhir\.example\.org;/,
    );
    const server = await startTestServer({
      server: {
        appConfig: { fhirBaseUrl: 'https://fhir.example.org/r4', facilityId: null, timeZone: 'Pacific/Auckland' },
      },
    });
    try {
      const csp = String(
        (await server.app.inject({ method: 'GET', url: '/config.json' })).headers['content-security-policy'],
      );
      expect(csp).toContain("connect-src 'self' https://fhir.example.org;");
      expect(csp).not.toMatch(/https:(?!\/\/fhir)|localhost|127\.0\.0\.1/);
    } finally {
      await server.close();
    }
  });
});

describe('script-looking data stays data', () => {
  let server: TestServer;
  const patient: Patient = {
    resourceType: 'Patient',
    id: 'pat-xss',
    identifier: [{ system: NHI_SYSTEM, value: 'ZZZ0016' }],
    name: [{ family: XSS, given: ['<script>alert(2)</script>'], text: `"${XSS}"` }],
    birthDate: '1990-01-01',
  };
  beforeAll(async () => {
    server = await startTestServer();
    await server.opened.store.bulkLoad([patient], NOW);
  });
  afterAll(() => server.close());

  it('is returned unchanged, as JSON, by read and by search', async () => {
    const read = await server.app.inject({ method: 'GET', url: '/fhir/Patient/pat-xss', headers: server.authorized });
    expect(read.statusCode).toBe(200);
    expect(read.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(read.headers['x-content-type-options']).toBe('nosniff');
    expect(read.json<Patient>().name).toEqual(patient.name);
    const search = await server.app.inject({
      method: 'GET',
      url: `/fhir/Patient?name=${encodeURIComponent('img src')}`,
      headers: server.authorized,
    });
    expect(search.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const found = search.json<Bundle<Patient>>().entry?.map((entry) => entry.resource);
    expect(found?.map((p) => p?.name)).toEqual([patient.name]);
  });

  it('is never served as a page, even to a browser asking for HTML', async () => {
    const response = await server.app.inject({
      method: 'GET',
      url: '/fhir/Patient/pat-xss',
      headers: { accept: 'text/html' },
    });
    expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(response.body).not.toContain(XSS);
  });
});
