/** `npm start`: the browser app at / and the FHIR API at /fhir, on demo data in DATA_DIR. */
import { resolve } from 'node:path';
import { configFromEnv } from './config';
import { openStore } from '../storage/openStore';
import { buildAppIfNeeded } from './buildApp';
import { repositoryRoot } from './repositoryRoot';

async function main(): Promise<void> {
  const config = configFromEnv();
  const root = repositoryRoot(import.meta.url);
  // PGlite starts in its worker thread (about half of a start) while this thread builds the browser app
  // if it must and loads the HTTP server's modules (Fastify, its plugins, the routes: the other half).
  const [opened, ready] = await Promise.allSettled([
    openStore(config),
    import('./serve').then(({ serve }) => ({
      serve,
      staticDir: process.env.SKIP_APP_BUILD === '1' ? resolve(root, 'dist') : buildAppIfNeeded(root),
    })),
  ]);
  if (opened.status === 'rejected') throw opened.reason;
  try {
    if (ready.status === 'rejected') throw ready.reason;
    await ready.value.serve(opened.value, config, ready.value.staticDir);
  } catch (error) {
    await opened.value.close();
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
