import type { Patient } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../database/pgliteClient';
import { SqlFhirStore } from './sqlFhirStore';
import { StoreConflict } from './storeConflict';
import { defineStoreOperation, loadStoreOperation } from './storeOperation';

const NOW = new Date('2030-03-04T00:00:00Z');

const createPatient = defineStoreOperation(
  import.meta.url,
  'createPatient',
  async (tx, { family, fail }: { family: string; fail?: boolean }) => {
    const created = await tx.create<Patient>({ resourceType: 'Patient', name: [{ family }] }, NOW);
    if (fail) throw new Error('the operation failed after writing');
    return created;
  },
);

/** Breaks the one-booking-per-slot index through the projection table itself. */
const bookSlotTwice = defineStoreOperation(import.meta.url, 'bookSlotTwice', async (tx) => {
  for (const status of ['booked', 'booked'] as const) {
    await tx.create(
      {
        resourceType: 'Appointment',
        status,
        start: '2030-03-05T09:00:00+13:00',
        end: '2030-03-05T09:15:00+13:00',
        slot: [{ reference: 'Slot/s1' }],
        participant: [],
      },
      NOW,
    );
  }
});

let store: SqlFhirStore;
beforeAll(async () => {
  store = await SqlFhirStore.open(await openPglite(undefined));
});
afterAll(async () => {
  await store.close();
});

describe('store operations', () => {
  it('are known by module and name, which is how the worker thread finds them', async () => {
    expect(createPatient.key).toBe(`${import.meta.url.replace(/[?#].*$/, '')}#createPatient`);
    expect(await loadStoreOperation(createPatient.key)).toBe(createPatient);
    await expect(loadStoreOperation(`${import.meta.url}#nothing`)).rejects.toThrow('No store operation');
    expect(() => defineStoreOperation(import.meta.url, 'createPatient', async () => undefined)).toThrow(
      'defined twice',
    );
  });

  it('commit what they wrote when they resolve, and nothing when they throw', async () => {
    const kept = await store.run(createPatient, { family: 'Kept' });
    await expect(store.run(createPatient, { family: 'Lost', fail: true })).rejects.toThrow('failed after writing');
    expect(await store.read('Patient', kept.id as string)).toEqual(kept);
    expect(await store.count('Patient')).toBe(1);
    expect(await store.has('Patient')).toBe(true);
    expect(await store.has('Location')).toBe(false);
  });

  it("turn a broken database guard into storage's own conflict, naming the constraint", async () => {
    const error = await store.run(bookSlotTwice, undefined).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(StoreConflict);
    expect(error).toMatchObject({ kind: 'unique', constraint: 'slot_booked_once' });
    expect(await store.count('Appointment')).toBe(0);
  });
});
