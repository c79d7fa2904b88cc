/**
 * `npm run seed -- --reset [--patients N] [--weeks N] [--practitioners N] [--seed N]`: (re)creates the demo data.
 * Without --reset it only adds demo data to an empty store. Larger sizes feed the benchmarks.
 */
import { parseArgs } from 'node:util';
import { clinicDate } from '../../domain/clinicTime';
import { SqlAuthStore } from '../auth/authStore';
import { ensureDemoAccounts } from '../auth/demoAccounts';
import { configFromEnv } from './config';
import { DEMO_WEEKS, seedDemoData } from '../demo/ensureDemoData';
import { MAINTAINED_TABLES } from '../storage/idleMaintenance';
import { openStore } from '../storage/openStore';

const { values } = parseArgs({
  options: {
    reset: { type: 'boolean', default: false },
    patients: { type: 'string' },
    weeks: { type: 'string', default: String(DEMO_WEEKS) },
    practitioners: { type: 'string' },
    seed: { type: 'string' },
  },
});

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new Error(`--${name} must be a whole number above 0, not "${value}".`);
  return number;
}

async function main(): Promise<void> {
  // Seeding answers no request: a large store's vacuum below may take longer than a request may.
  process.env.STATEMENT_TIMEOUT_MS ??= '0';
  const config = configFromEnv();
  const opened = await openStore(config);
  try {
    if (!values.reset && (await opened.store.has('Patient'))) {
      console.log(`${opened.description} already has data; use --reset to replace it with fresh demo data.`);
      return;
    }
    const authStore = new SqlAuthStore(opened.sql);
    if (values.reset) {
      await opened.store.clear();
      await authStore.clear();
    }
    const now = new Date();
    const started = Date.now();
    const added = await seedDemoData(
      opened.store,
      {
        today: clinicDate(now, config.timeZone),
        timeZone: config.timeZone,
        patients: positive('patients', values.patients),
        weeks: positive('weeks', values.weeks),
        practitioners: positive('practitioners', values.practitioners),
        seed: positive('seed', values.seed),
      },
      now,
    );
    const seed = positive('seed', values.seed);
    const accounts = await ensureDemoAccounts(authStore, opened.store, {
      staffPassword: config.demoStaffPassword,
      seed,
    });
    // PGlite has no autovacuum, and the server's idle maintenance comes only after writes: vacuumed
    // now, a freshly seeded store is as a served one would be, its visibility map set. Until then an
    // index-only scan (a name search's words, migration 8) still visits every row it finds.
    if (!config.databaseUrl) for (const table of MAINTAINED_TABLES) await opened.sql.query(`VACUUM (ANALYZE) ${table}`);
    console.log(
      `Created ${added} demo resources and ${accounts.portalCodesCreated} patient portal codes in ${opened.description} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
  } finally {
    await opened.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
