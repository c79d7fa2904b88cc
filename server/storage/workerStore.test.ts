/**
 * The embedded database's statement timeout. PGlite cannot stop a statement, so the server's thread
 * does: a worker that has owed a reply for longer than the timeout is terminated and started again
 * on the same data directory. Against a real worker and PGlite on disk, with a short timeout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Patient } from 'fhir/r4';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SqlClient } from '../database/sqlClient';
import { createPatient, createPatientThenStall } from '../test/workerStoreOperations';
import { databaseRefusalOf } from './databaseRefusal';
import type { SqlFhirStore } from './sqlFhirStore';
import { openPgliteWorker } from './workerStore';

const TIMEOUT_MS = 600;
const scratch = mkdtempSync(join(tmpdir(), 'nz-appointments-worker-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let opened: Array<{ store: SqlFhirStore }> = [];
afterEach(async () => {
  await Promise.all(opened.map(({ store }) => store.close()));
  opened = [];
});

async function open(
  name: string | undefined,
  statementTimeoutMs = TIMEOUT_MS,
): Promise<{ sql: SqlClient; store: SqlFhirStore }> {
  const worker = await openPgliteWorker(name === undefined ? undefined : join(scratch, name), {
    statementTimeoutMs,
    restartWaitMs: 30_000,
  });
  opened.push(worker);
  return worker;
}

/** What the call failed with, as the HTTP layer would see it. */
async function refusal(call: Promise<unknown>): Promise<string | undefined> {
  const error = await call.then(
    () => new Error('it succeeded'),
    (thrown: unknown) => thrown,
  );
  return databaseRefusalOf(error) ?? String(error);
}

async function families(store: SqlFhirStore): Promise<string[]> {
  const { matches } = await store.search({
    resourceType: 'Patient',
    criteria: [],
    count: 100,
    offset: 0,
    descending: false,
    include: [],
  });
  return (matches as Patient[]).map((patient) => patient.name?.[0]?.family as string).sort();
}

describe('the embedded database under a statement timeout', () => {
  it('stops a statement that runs too long, fails what waited behind it, and answers again from the same data', async () => {
    const { sql, store } = await open('restart');
    const kept = await store.run(createPatient, 'Kept');
    const started = performance.now();
    const slow = refusal(sql.query('SELECT pg_sleep(60)'));
    const behind = refusal(store.read('Patient', kept.id as string));
    expect(await slow).toBe('timed-out');
    expect(await behind).toBe('timed-out');
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 5_000);
    // Asked while the new worker opens: it waits for it.
    expect(await store.read('Patient', kept.id as string)).toEqual(kept);
    expect(await families(store)).toEqual(['Kept']);
    // And the new worker is watched in turn.
    expect(await refusal(sql.query('SELECT pg_sleep(60)'))).toBe('timed-out');
    expect(await store.count('Patient')).toBe(1);
  });

  it('loses a store operation stopped before it committed, whole, and keeps what was acknowledged', async () => {
    const { store } = await open('operation');
    await store.run(createPatient, 'Acknowledged');
    expect(await refusal(store.run(createPatientThenStall, { family: 'Unfinished', ms: 60_000 }))).toBe('timed-out');
    expect(await families(store)).toEqual(['Acknowledged']);
    // An operation quicker than the timeout is untouched.
    await store.run(createPatientThenStall, { family: 'Quick', ms: 10 });
    expect(await families(store)).toEqual(['Acknowledged', 'Quick']);
  });

  it('never continues a statement-by-statement transaction on the new worker', async () => {
    const { sql, store } = await open('transaction');
    // Stopped in the middle of its own statement.
    const stalled = sql.transaction(async (tx) => {
      await tx.query(`INSERT INTO patient_search (id) VALUES ('stalled')`);
      await tx.query('SELECT pg_sleep(60)');
    });
    expect(await refusal(stalled)).toBe('timed-out');
    // Abandoned by its caller while another request waits on the database.
    let resume: () => void = () => undefined;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    const abandoned = sql.transaction(async (tx) => {
      await tx.query(`INSERT INTO patient_search (id) VALUES ('abandoned')`);
      await paused;
      await tx.query(`INSERT INTO patient_search (id) VALUES ('after')`);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await refusal(store.count('Patient'))).toBe('timed-out');
    resume();
    expect(await refusal(abandoned)).toBe('timed-out');
    expect(await sql.query(`SELECT id FROM patient_search WHERE id IN ('stalled', 'abandoned', 'after')`)).toEqual([]);
  });

  it('lets a bulk load take as long as it needs', async () => {
    // Short enough that the load's chunks and ANALYZE pass it, long enough for a count on a busy machine.
    const timeoutMs = 250;
    const { store } = await open('bulk', timeoutMs);
    const patients: Patient[] = Array.from({ length: 8_000 }, (_, i) => ({
      resourceType: 'Patient',
      id: `bulk-${i}`,
      name: [{ family: `Bulk${i}`, given: ['Aroha', 'Mere'] }],
    }));
    const started = performance.now();
    expect(await store.bulkLoad(patients, new Date())).toBe(8_000);
    // Longer than the timeout, or this test proves nothing.
    expect(performance.now() - started).toBeGreaterThan(timeoutMs);
    expect(await store.count('Patient')).toBe(8_000);
  }, 120_000);

  it('has no watchdog in memory, where a new worker would start empty', async () => {
    const { sql, store } = await open(undefined, 100);
    await store.run(createPatient, 'InMemory');
    await sql.query('SELECT pg_sleep(0.3)');
    expect(await families(store)).toEqual(['InMemory']);
  });

  it('lets costly searches take turns, refusing them as timed out when too many queue', async () => {
    const { store } = await open(undefined, 100);
    await store.bulkLoad(
      Array.from(
        { length: 50 },
        (_, i) =>
          ({ resourceType: 'Patient', id: `p-${i}`, name: [{ family: `Family${i}`, given: ['Aroha'] }] }) as Patient,
      ),
      new Date(),
    );
    const costly = {
      resourceType: 'Patient' as const,
      criteria: [
        {
          kind: 'words' as const,
          param: 'name' as const,
          words: ['aroha', 'family1', 'a', 'f', 'ar', 'fa', 'aro', 'fam', 'aroh', 'family'],
        },
        { kind: 'words' as const, param: 'name' as const, words: ['a'] },
      ],
      count: 50,
      offset: 0,
      descending: false,
      include: [],
    };
    const alone = await store.search(costly);
    expect(alone.matches.map((patient) => patient.id).sort()).toEqual([
      'p-1',
      'p-10',
      'p-11',
      'p-12',
      'p-13',
      'p-14',
      'p-15',
      'p-16',
      'p-17',
      'p-18',
      'p-19',
    ]);
    // The worker busy for four timeouts (in memory there is no watchdog to stop it): the first costly
    // search starts at once and waits at the worker; the next two wait their turn past the timeout.
    await store.run(createPatient, 'Warm'); // the worker has loaded the operations' module
    const stall = store.run(createPatientThenStall, { family: 'Stall', ms: 400 });
    await new Promise((resolve) => setTimeout(resolve, 50)); // and is spinning in it
    const answers = await Promise.all(
      Array.from({ length: 3 }, () =>
        store.search(costly).then(
          (found) => found,
          (error: unknown) => databaseRefusalOf(error),
        ),
      ),
    );
    await stall;
    expect(answers).toEqual([alone, 'timed-out', 'timed-out']);
    // The queue does not stay blocked by what it refused.
    expect(await store.search(costly)).toEqual(alone);
  });
});
