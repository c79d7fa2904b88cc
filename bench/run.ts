/**
 * `npm run bench`: the figures issue 4 sets budgets for, each printed beside its budget and written
 * to bench/results/latest.json. Every server runs as its own process on 127.0.0.1 and its own
 * temporary store; every loop is bounded, so the whole run takes a few minutes.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  REPO_ROOT,
  spawnChildServer,
  withSystemToken,
  type ChildServer,
  type SpawnedServer,
} from '../server/test/childServer';
import { buildAppIfNeeded } from '../server/cli/buildApp';
import { measureAppSize } from './appSize';
import { measureBookingRequests } from './bookingRequests';
import { measureReadsBesideHostileSearches } from './hostileSearches';
import { measureBareNode, measureMixedLoad } from './mixedLoad';
import { withPostgres } from './postgres';
import { LARGE_STORE, LARGEST_STORE, measureSearchAtScale, seedLargeStore } from './searchAtScale';
import { percentile, table, withinBudget, type Figure } from './stats';

const figures: Figure[] = [];
/** Cold starts on the existing demo store, of which the median is the figure. */
const STARTS = 3;
/** What the table cannot hold (the bundle by dependency), printed before it. */
const reports: string[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'nz-appointments-bench-'));

async function metadataAnswered(server: SpawnedServer): Promise<number> {
  const response = await fetch(`${server.origin}/fhir/metadata`, { headers: { accept: 'application/fhir+json' } });
  if (!response.ok) throw new Error(`/fhir/metadata answered ${response.status}`);
  await response.arrayBuffer();
  return performance.now();
}

/** From spawning `npm start`'s server to its first /fhir/metadata answer. */
async function coldStart(options: { dataDir: string }): Promise<{ ms: number; server: ChildServer }> {
  const spawned = performance.now();
  const server = await spawnChildServer({ ...options, startTimeoutMs: 120_000 });
  const ms = (await metadataAnswered(server)) - spawned;
  return { ms, server: await withSystemToken(server) };
}

async function section(name: string, measure: () => Promise<Figure[]> | Figure[]): Promise<void> {
  const started = performance.now();
  process.stdout.write(`${name}...`);
  try {
    figures.push(...(await measure()));
    process.stdout.write(` ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  } catch (error) {
    process.stdout.write(' failed\n');
    figures.push({
      section: name,
      name: 'failed',
      value: null,
      unit: '',
      note: error instanceof Error ? error.message : String(error),
    });
  }
}

async function main(): Promise<void> {
  const load = loadavg()[0];
  console.log(
    `nz-appointments benchmark: ${cpus().length} cores, load average ${load.toFixed(2)}${load > 0.5 ? ' (the machine is busy: figures are noisy)' : ''}`,
  );

  // `npm run bench -- <name>` runs one section alone: app, requests, load, start, hostile, scale (and largest with --large).
  const only = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
  const demoDir = join(scratch, 'demo');
  const sections: Record<string, () => Promise<void>> = {
    app: () => section('app', () => measureAppSize(REPO_ROOT, (text) => reports.push(text))),
    requests: () =>
      section('booking requests', async () => {
        // The server serves dist/: built (or rebuilt) from the sources first, as `npm start` does.
        buildAppIfNeeded(REPO_ROOT);
        const { server } = await coldStart({ dataDir: join(scratch, 'requests') });
        try {
          return await measureBookingRequests(server, (text) => reports.push(text));
        } finally {
          await server.stop();
        }
      }),
    load: () =>
      section('mixed load', async () => {
        const bare = await measureBareNode();
        const { ms, server } = await coldStart({ dataDir: demoDir });
        figures.push({ section: 'cold start', name: 'empty store (creates demo data)', value: ms / 1000, unit: 's' });
        try {
          figures.push(...(await measureMixedLoad(server, 'PGlite', bare)));
        } finally {
          await server.stop();
        }
        return withPostgres(async (databaseUrl) => {
          const onPostgres = await withSystemToken(await spawnChildServer({ databaseUrl, startTimeoutMs: 120_000 }));
          try {
            return await measureMixedLoad(onPostgres, 'PostgreSQL', bare);
          } finally {
            await onPostgres.stop();
          }
        });
      }),
    start: () =>
      section('cold start', async () => {
        if (!existsSync(demoDir)) await (await coldStart({ dataDir: demoDir })).server.stop();
        // One start is at the mercy of whatever else the machine is doing: the median of three.
        const starts: number[] = [];
        for (let i = 0; i < STARTS; i++) {
          const { ms, server } = await coldStart({ dataDir: demoDir });
          await server.stop();
          starts.push(ms / 1000);
        }
        return [
          {
            section: 'cold start',
            name: 'existing demo store',
            value: percentile(starts, 50),
            unit: 's',
            budget: { limit: 1, atMost: true },
            note: `median of ${starts.map((s) => s.toFixed(2)).join(', ')} s`,
          },
        ];
      }),
    hostile: () =>
      section('hostile searches', async () => {
        const { server } = await coldStart({ dataDir: demoDir });
        try {
          return await measureReadsBesideHostileSearches(server);
        } finally {
          await server.stop();
        }
      }),
    scale: () =>
      section('search at scale', async () => {
        const largeDir = join(scratch, 'large');
        const seededIn = seedLargeStore({ dataDir: largeDir });
        const { ms, server } = await coldStart({ dataDir: largeDir });
        try {
          return [
            {
              section: 'cold start',
              name: 'existing large store',
              value: ms / 1000,
              unit: 's',
              budget: { limit: 1, atMost: true },
              note: `${LARGE_STORE.patients} patients, ${LARGE_STORE.practitioners} practitioners x ${LARGE_STORE.weeks} weeks of slots, seeded in ${(seededIn / 1000).toFixed(0)} s`,
            },
            ...(await measureSearchAtScale(server, 'PGlite', 5)),
          ];
        } finally {
          await server.stop();
        }
      }),
    // Opt-in (`npm run bench -- --large`), never in CI: seeding takes hours and several GB.
    ...(process.argv.includes('--large')
      ? {
          largest: () =>
            section('search at scale (PostgreSQL, --large)', () =>
              withPostgres(async (databaseUrl) => {
                const seededIn = seedLargeStore({ databaseUrl }, LARGEST_STORE);
                const server = await withSystemToken(await spawnChildServer({ databaseUrl, startTimeoutMs: 600_000 }));
                try {
                  const figures = await measureSearchAtScale(server, 'PostgreSQL', 10, LARGEST_STORE);
                  figures[0].note = `${LARGEST_STORE.patients} patients, ${LARGEST_STORE.practitioners} practitioners x ${LARGEST_STORE.weeks} weeks of slots, seeded in ${(seededIn / 60_000).toFixed(0)} min`;
                  return figures;
                } finally {
                  await server.stop();
                }
              }),
            ),
        }
      : {}),
  };
  if (only !== undefined && !(only in sections))
    throw new Error(`No bench section "${only}": choose one of ${Object.keys(sections).join(', ')}.`);
  for (const [name, run] of Object.entries(sections)) if (only === undefined || only === name) await run();

  const order = [
    'app',
    'booking requests',
    'mixed load (PGlite)',
    'mixed load (PostgreSQL)',
    'hostile searches',
    'search at scale (PGlite)',
    'search at scale (PostgreSQL)',
    'cold start',
  ];
  figures.sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section));
  for (const text of reports) console.log(`\n${text}`);
  console.log(`\n${table(figures)}`);
  const over = figures.filter((figure) => withinBudget(figure) === false);
  console.log(
    over.length === 0 ? '\nEvery measured figure is within its budget.' : `\n${over.length} figure(s) over budget.`,
  );
  const resultsDir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, 'latest.json'),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), cores: cpus().length, loadAverageAtStart: load, figures: figures.map((figure) => ({ ...figure, withinBudget: withinBudget(figure) ?? null })) }, null, 2)}\n`,
  );
  console.log(`Written to bench/results/latest.json.`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(scratch, { recursive: true, force: true }));
