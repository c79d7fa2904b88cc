/**
 * A throwaway PostgreSQL for the bench's PostgreSQL figures: the test suite's own cluster set-up
 * (server/test/postgresCluster.ts: initdb on a free port, or TEST_DATABASE_URL), a fresh database in
 * it, and all of it gone afterwards. Without PostgreSQL binaries the figures say so instead.
 */
import type { TestProject } from 'vitest/node';
import { createTestDatabase } from '../server/test/databases';
import startCluster from '../server/test/postgresCluster';
import type { Figure } from './stats';

export async function withPostgres(measure: (databaseUrl: string) => Promise<Figure[]>): Promise<Figure[]> {
  let adminUrl: string | null = null;
  const provider = { provide: (_key: string, value: string | null) => (adminUrl = value) } as unknown as TestProject;
  const stopCluster = await startCluster(provider);
  try {
    if (!adminUrl)
      return [{ section: 'PostgreSQL', name: 'skipped', value: null, unit: '', note: 'no PostgreSQL binaries' }];
    const database = await createTestDatabase(adminUrl);
    try {
      return await measure(database.url);
    } finally {
      await database.drop();
    }
  } finally {
    stopCluster?.();
  }
}
