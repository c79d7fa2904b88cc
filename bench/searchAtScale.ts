/**
 * Search latency on a large store (50,000 patients, about 500,000 slots: 100 practitioners over
 * 30 weeks, on PGlite), one request at a time so each figure is the search itself, not queueing.
 * `npm run bench -- --large` adds PostgreSQL with ten times that (500,000 patients, about 5,000,000
 * slots). The names are what a receptionist types, so some repeat: on PGlite a repeat is answered
 * from the search cache (storage/searchCache.ts), as it would be at the desk.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Bundle, Patient, Schedule } from 'fhir/r4';
import { addClinicDays, clinicDate, clinicInstant, startOfClinicWeek, toFhirInstant } from '../domain/clinicTime';
import { REPO_ROOT, type ChildServer } from '../server/test/childServer';
import { percentile, type Figure } from './stats';

export interface StoreSize {
  patients: number;
  weeks: number;
  practitioners: number;
}

export const LARGE_STORE: StoreSize = { patients: 50_000, weeks: 30, practitioners: 100 };
/** `--large`, on PostgreSQL only: seeding it takes a long while and several GB of memory. */
export const LARGEST_STORE: StoreSize = { patients: 500_000, weeks: 30, practitioners: 1_000 };
const TIME_ZONE = 'Pacific/Auckland';
const WARM_UP = 30;
const MEASURED = 300;

/** Seeds a store with the project's own seed command, on PGlite in `dataDir` or on `databaseUrl`; returns how long it took. */
export function seedLargeStore(
  where: { dataDir: string } | { databaseUrl: string },
  size: StoreSize = LARGE_STORE,
): number {
  const started = performance.now();
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(REPO_ROOT, 'server/cli/seed.ts'),
      '--reset',
      '--patients',
      String(size.patients),
      '--weeks',
      String(size.weeks),
      '--practitioners',
      String(size.practitioners),
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...('dataDir' in where ? { DATA_DIR: where.dataDir, DATABASE_URL: '' } : { DATABASE_URL: where.databaseUrl }),
        STATEMENT_TIMEOUT_MS: '0',
      },
      stdio: 'pipe',
      timeout: size === LARGE_STORE ? 1_800_000 : 4 * 3_600_000,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return performance.now() - started;
}

async function bundle(server: ChildServer, path: string): Promise<Bundle> {
  const response = await fetch(`${server.origin}${path}`, { headers: server.headers });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Bundle;
}

async function timed(server: ChildServer, paths: string[]): Promise<{ latencies: number[]; meanResults: number }> {
  for (const path of paths.slice(0, WARM_UP)) await bundle(server, path);
  const latencies: number[] = [];
  let results = 0;
  for (let i = 0; i < MEASURED; i++) {
    const path = paths[(WARM_UP + i) % paths.length];
    const started = performance.now();
    const found = await bundle(server, path);
    latencies.push(performance.now() - started);
    results += found.entry?.length ?? 0;
  }
  return { latencies, meanResults: results / MEASURED };
}

/** p95 budgets in ms, and the section's name: `search at scale (PGlite)`. */
export async function measureSearchAtScale(
  server: ChildServer,
  store: string,
  budgetMs: number,
  size: StoreSize = LARGE_STORE,
): Promise<Figure[]> {
  const offset = Math.floor(size.patients / 2);
  const patients = ((await bundle(server, `/fhir/Patient?_count=400&_offset=${offset}`)).entry ?? []).map(
    (entry) => entry.resource as Patient,
  );
  // What a receptionist types: the first letters of a surname, or a whole name.
  const names = patients.flatMap((patient) => {
    const name = patient.name?.[0];
    return [
      name?.family?.slice(0, 3) ?? '',
      `${name?.given?.[0] ?? ''} ${name?.family ?? ''}`,
      name?.family?.slice(0, 5) ?? '',
    ];
  });
  const namePaths = names.map((name) => `/fhir/Patient?name=${encodeURIComponent(name)}`);
  const schedules = ((await bundle(server, '/fhir/Schedule?_count=1000')).entry ?? []).map(
    (entry) => entry.resource as Schedule,
  );
  const thisWeek = startOfClinicWeek(clinicDate(new Date(), TIME_ZONE));
  const instant = (date: string) =>
    encodeURIComponent(toFhirInstant(clinicInstant(date, '00:00', TIME_ZONE), TIME_ZONE));
  const slotPaths = Array.from({ length: MEASURED + WARM_UP }, (_, i) => {
    const schedule = schedules[(i * 37) % schedules.length];
    const week = addClinicDays(thisWeek, ((i * 7) % 26) * 7);
    return `/fhir/Slot?schedule=Schedule/${schedule.id}&status=free&start=ge${instant(week)}&start=lt${instant(addClinicDays(week, 7))}&_count=1000`;
  });
  const byName = await timed(server, namePaths);
  const byWeek = await timed(server, slotPaths);
  const section = `search at scale (${store})`;
  const budget = { limit: budgetMs, atMost: true };
  return [
    { section, name: 'Patient name search p50', value: percentile(byName.latencies, 50), unit: 'ms' },
    {
      section,
      name: 'Patient name search p95',
      value: percentile(byName.latencies, 95),
      unit: 'ms',
      budget,
      note: `${MEASURED} searches, ${byName.meanResults.toFixed(1)} results each on average`,
    },
    { section, name: 'Slot week search p50', value: percentile(byWeek.latencies, 50), unit: 'ms' },
    {
      section,
      name: 'Slot week search p95',
      value: percentile(byWeek.latencies, 95),
      unit: 'ms',
      budget,
      note: `${MEASURED} searches, ${byWeek.meanResults.toFixed(0)} slots each on average`,
    },
  ];
}
