/**
 * An in-memory PGlite on this thread with the API suites' small clinic: the store the service's own
 * tests run their transactions on, without HTTP or the worker thread in between.
 */
import { openPglite } from '../database/pgliteClient';
import type { SqlClient } from '../database/sqlClient';
import { SqlFhirStore } from '../storage/sqlFhirStore';
import { loadFixtures } from './fixtures';

export async function openClinicStore(): Promise<SqlFhirStore> {
  return SqlFhirStore.open(await openPglite(undefined));
}

/** The same, with its SQL client, for what lives beside the resources (the email outbox). */
export async function openClinicStoreWithSql(): Promise<{ store: SqlFhirStore; sql: SqlClient }> {
  const sql = await openPglite(undefined);
  return { store: await SqlFhirStore.open(sql), sql };
}

/** Back to the fixtures alone, every slot free: cheaper than a new database for each test. */
export async function resetClinic(store: SqlFhirStore): Promise<void> {
  await store.clear();
  await loadFixtures(store);
}
