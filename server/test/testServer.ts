import type { FastifyInstance } from 'fastify';
import { buildServer } from '../http/buildServer';
import { openStore, type OpenedStore } from '../storage/openStore';
import { loadFixtures, NOW, TIME_ZONE } from './fixtures';

export interface TestServer {
  app: FastifyInstance;
  opened: OpenedStore;
  close(): Promise<void>;
}

/** The real server over a real store (PGlite in memory unless told otherwise), with the fixtures loaded. */
export async function startTestServer(options: { databaseUrl?: string; dataDir?: string; now?: () => Date } = {}): Promise<TestServer> {
  const opened = await openStore({ databaseUrl: options.databaseUrl, dataDir: options.dataDir ?? ':memory:' });
  await loadFixtures(opened.store);
  const app = await buildServer({ store: opened.store, timeZone: TIME_ZONE, now: options.now ?? (() => NOW) });
  return {
    app,
    opened,
    async close() {
      await app.close();
      await opened.close();
    },
  };
}

export const FHIR_HEADERS = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' };
