/**
 * Runs before the server under test, in the webServer command: empties its DATA_DIR, creates the
 * demo data exactly as `npm start` would, then stores one patient the API cannot create (the server
 * has no Patient create) through the server's own storage code. Playwright starts webServer before
 * globalSetup, and the running server locks the directory, so this cannot be a globalSetup.
 */
import { rmSync } from 'node:fs';
import { configFromEnv } from '../../server/cli/config';
import { ensureDemoData } from '../../server/demo/ensureDemoData';
import { lockDataDir } from '../../server/database/dataDirLock';
import { openStore } from '../../server/storage/openStore';
import { hostilePatientResource } from './hostilePatient';

async function main(): Promise<void> {
  const config = configFromEnv();
  // Taking the lock first refuses to empty a directory another run's server is still using.
  lockDataDir(config.dataDir)();
  rmSync(config.dataDir, { recursive: true, force: true });
  const opened = await openStore(config);
  try {
    const now = new Date();
    await ensureDemoData(opened.store, config.timeZone, now);
    await opened.store.bulkLoad([hostilePatientResource()], now);
  } finally {
    await opened.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
