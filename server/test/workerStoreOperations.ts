/**
 * Store operations for server/storage/workerStore.test.ts, in a module of their own: the database
 * worker loads an operation's module by its URL, and a test file cannot be loaded outside vitest.
 */
import type { Patient } from 'fhir/r4';
import { defineStoreOperation } from '../storage/storeOperation';

const NOW = new Date('2030-03-04T00:00:00Z');

export const createPatient = defineStoreOperation(import.meta.url, 'createPatient', (tx, family: string) =>
  tx.create<Patient>({ resourceType: 'Patient', name: [{ family }] }, NOW),
);

/** Writes a patient, then holds the database's thread for `ms` before committing, as a runaway statement would. */
export const createPatientThenStall = defineStoreOperation(
  import.meta.url,
  'createPatientThenStall',
  async (tx, { family, ms }: { family: string; ms: number }) => {
    const created = await tx.create<Patient>({ resourceType: 'Patient', name: [{ family }] }, NOW);
    const until = Date.now() + ms;
    while (Date.now() < until) {
      // spinning, like WebAssembly busy in one statement: nothing else on this thread runs
    }
    return created;
  },
);
