import pg from 'pg';
import type { SqlClient, SqlExecutor } from './sqlClient';

/** A real PostgreSQL server through a connection pool; each transaction has a connection to itself. */
export async function openPostgres(connectionString: string): Promise<SqlClient> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // Fail at start-up with the server's own message rather than on the first request.
  (await pool.connect()).release();
  const query = async <Row>(runner: pg.Pool | pg.PoolClient, sql: string, params: unknown[] = []) =>
    (await runner.query(sql, params)).rows as Row[];
  return {
    query: (sql, params) => query(pool, sql, params),
    async transaction(callback) {
      const connection = await pool.connect();
      const tx: SqlExecutor = { query: (sql, params) => query(connection, sql, params) };
      try {
        await connection.query('BEGIN');
        const result = await callback(tx);
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        connection.release();
      }
    },
    close: () => pool.end(),
  };
}
