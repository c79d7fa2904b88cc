import type { Location, Patient, Resource } from 'fhir/r4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPglite } from '../database/pgliteClient';
import type { SqlClient } from '../database/sqlClient';
import { CommittedRows } from './committedRows';
import type { StoreTransaction } from './fhirStore';
import { SqlFhirStore } from './sqlFhirStore';
import { defineStoreOperation } from './storeOperation';

const NOW = new Date('2030-03-04T00:00:00Z');

const readPatient = defineStoreOperation(import.meta.url, 'readPatient', (tx, id: string) =>
  tx.readForUpdate<Patient>('Patient', id),
);
const renamePatient = defineStoreOperation(
  import.meta.url,
  'renamePatient',
  async (tx, { id, family, fail }: { id: string; family: string; fail?: boolean }) => {
    const stored = (await tx.readForUpdate<Patient>('Patient', id)) as Patient;
    const renamed = await tx.update<Patient>({ ...stored, name: [{ family }] }, NOW);
    if (fail) throw new Error('the operation failed after writing');
    return renamed;
  },
);
const changeInPlace = defineStoreOperation(import.meta.url, 'changeInPlace', async (tx, id: string) => {
  const stored = (await tx.read<Patient>('Patient', id)) as Patient;
  stored.active = false;
});

/** The database, counting the statements that read a resource by its key. */
function counting(sql: SqlClient): { sql: SqlClient; reads: () => number } {
  let reads = 0;
  const count = (text: string) => {
    if (/^SELECT content FROM resource WHERE resource_type = \$1 AND id = \$2/.test(text)) reads += 1;
  };
  return {
    reads: () => reads,
    sql: {
      query: (text, params) => (count(text), sql.query(text, params)),
      transaction: (callback) =>
        sql.transaction((tx) => callback({ query: (text, params) => (count(text), tx.query(text, params)) })),
      close: () => sql.close(),
    },
  };
}

let database: ReturnType<typeof counting>;
let rows: CommittedRows;
let store: SqlFhirStore;
let patientId: string;
beforeAll(async () => {
  database = counting(await openPglite(undefined));
  rows = new CommittedRows();
  store = await SqlFhirStore.open(database.sql, rows);
});
let loaded = 0;
beforeEach(async () => {
  rows.forgetAll();
  patientId = `pat-${++loaded}`;
  const patient: Patient = { resourceType: 'Patient', id: patientId, name: [{ family: 'Tane' }] };
  await store.bulkLoad([patient], NOW);
});
afterAll(() => store.close());

describe('CommittedRows, under a store', () => {
  it('answers a later transaction’s read of a resource an earlier one read, without a statement', async () => {
    await store.run(readPatient, patientId);
    const before = database.reads();
    expect(await store.run(readPatient, patientId)).toMatchObject({ id: patientId, name: [{ family: 'Tane' }] });
    expect(database.reads()).toBe(before);
  });

  it('gives the next transaction the version a committed one wrote, and the database’s after one rolled back', async () => {
    await store.run(renamePatient, { id: patientId, family: 'Ngata' });
    const before = database.reads();
    expect(await store.run(readPatient, patientId)).toMatchObject({
      meta: { versionId: '2' },
      name: [{ family: 'Ngata' }],
    });
    expect(database.reads()).toBe(before);

    await expect(store.run(renamePatient, { id: patientId, family: 'Rolled', fail: true })).rejects.toThrow(
      'failed after writing',
    );
    expect(await store.run(readPatient, patientId)).toMatchObject({
      meta: { versionId: '2' },
      name: [{ family: 'Ngata' }],
    });
    // The failed rename read the patient from the cache and dropped it as it wrote: only the read after went to the database.
    expect(database.reads()).toBe(before + 1);
  });

  it('hands out frozen resources, so a transaction that changed its copy fails instead of changing the next one’s', async () => {
    await store.run(readPatient, patientId);
    await expect(store.run(changeInPlace, patientId)).rejects.toThrow(TypeError);
    expect(await store.run(readPatient, patientId)).not.toHaveProperty('active');
  });
});

/** A transaction over a map, whose writes the test lets commit in any order (the database would not). */
function mapTransaction(stored: Map<string, Resource>): StoreTransaction {
  const read = async <T extends Resource>(type: string, id: string) => stored.get(`${type}/${id}`) as T | undefined;
  const write = async <T extends Resource>(resource: T) => resource;
  return { read, readForUpdate: read, create: write, update: write } as unknown as StoreTransaction;
}

describe('CommittedRows, when transactions end in another order than they wrote', () => {
  it('keeps the version of the last write begun, not of the last transaction to end', async () => {
    const cache = new CommittedRows();
    const database = new Map<string, Resource>();
    const location = (name: string): Location => ({ resourceType: 'Location', id: 'loc-1', name });
    const first = cache.over(mapTransaction(database));
    await first.tx.update(location('First'), NOW);
    const second = cache.over(mapTransaction(database));
    await second.tx.update(location('Second'), NOW);
    second.ended(true);
    first.ended(true);
    const reader = cache.over(mapTransaction(new Map()));
    expect(await reader.tx.read<Location>('Location', 'loc-1')).toMatchObject({ name: 'Second' });
  });
});
