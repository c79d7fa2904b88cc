import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { SqlClient, SqlExecutor } from './sqlClient';

/**
 * Embedded PostgreSQL. PGlite is a single connection that runs one transaction at a time,
 * so concurrent bookings are serialised here and the database constraints are the last word.
 * `dataDir` undefined keeps everything in memory (tests).
 */
export async function openPglite(dataDir: string | undefined): Promise<SqlClient> {
  const db = await PGlite.create(dataDir, { extensions: { btree_gist } });
  const executor = (target: Pick<PGlite, 'query'>): SqlExecutor => ({
    async query<Row>(sql: string, params: unknown[] = []) {
      return (await target.query<Row>(sql, params)).rows;
    },
  });
  return {
    ...executor(db),
    transaction: (callback) => db.transaction((tx) => callback(executor(tx))),
    close: () => db.close(),
  };
}
