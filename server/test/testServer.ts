import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { SqlAuthStore } from '../auth/authStore';
import type { SmartClient } from '../auth/clients';
import { ensureDemoAccounts } from '../auth/demoAccounts';
import type { TokenResponse } from '../auth/tokenIssuer';
import { buildServer, type ServerOptions } from '../http/buildServer';
import { openStore, type OpenedStore } from '../storage/openStore';
import { SqlOutbox } from '../storage/outbox';
import { loadFixtures, NOW, TIME_ZONE } from './fixtures';

export const FHIR_HEADERS = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' };

export const STAFF_CLIENT = { id: 'test-integration', secret: 'test-integration-secret-0123456789' };
export const STAFF_PASSWORD = 'test-reception-password';
export const OTHER_APP_ORIGIN = 'https://app.example.org';

export interface TestServer {
  app: FastifyInstance;
  opened: OpenedStore;
  authStore: SqlAuthStore;
  /** A machine client's system/*.cruds token, as an integration would hold it (undefined when that client is off). */
  token: string | undefined;
  /** FHIR_HEADERS with that token: what every API test sends unless its subject is sign-in itself. */
  authorized: Record<string, string>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  databaseUrl?: string;
  dataDir?: string;
  now?: () => Date;
  /** false turns the client_credentials grant off. */
  clientCredentials?: boolean;
  accessTokenSeconds?: number;
  /** Registered SMART apps besides the built-in one (as SMART_CLIENTS_FILE gives them). */
  smartClients?: SmartClient[];
  /** More server options (a public base URL, CORS origins, a built app...). */
  server?: Partial<Omit<ServerOptions, 'store' | 'auth'>>;
}

/** A client_credentials token from the machine client the test server is given. */
export async function machineToken(
  app: FastifyInstance,
  scope?: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const basic = Buffer.from(`${STAFF_CLIENT.id}:${STAFF_CLIENT.secret}`).toString('base64');
  const response = await app.inject({
    method: 'POST',
    url: '/auth/token',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    payload: new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }).toString(),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<TokenResponse>().access_token;
}

/**
 * The real server, sign-in and access control included, over a real store (PGlite in memory unless
 * told otherwise) with the fixtures, the demo receptionist and the fixture patients' portal codes.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const opened = await openStore({ databaseUrl: options.databaseUrl, dataDir: options.dataDir ?? ':memory:' });
  await loadFixtures(opened.store);
  const authStore = new SqlAuthStore(opened.sql);
  await ensureDemoAccounts(authStore, opened.store, { staffPassword: STAFF_PASSWORD });
  const app = await buildServer({
    timeZone: TIME_ZONE,
    now: options.now ?? (() => NOW),
    // The emails' outbox, readable as Communication (nothing sends it unless a test starts a MailSender).
    outbox: new SqlOutbox(opened.sql),
    ...options.server,
    store: opened.store,
    auth: {
      store: authStore,
      staffClient: options.clientCredentials === false ? null : STAFF_CLIENT,
      redirectOrigins: [OTHER_APP_ORIGIN],
      smartClients: options.smartClients,
      accessTokenSeconds: options.accessTokenSeconds,
    },
  });
  // A server with a public base URL answers only for its host (421 otherwise).
  const host: Record<string, string> = options.server?.publicBaseUrl
    ? { host: new URL(options.server.publicBaseUrl).host }
    : {};
  const token = options.clientCredentials === false ? undefined : await machineToken(app, undefined, host);
  return {
    app,
    opened,
    authStore,
    token,
    authorized: token ? { ...FHIR_HEADERS, ...host, authorization: `Bearer ${token}` } : { ...FHIR_HEADERS, ...host },
    async close() {
      await app.close();
      await opened.close();
    },
  };
}
