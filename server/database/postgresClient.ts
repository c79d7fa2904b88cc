import type pg from 'pg';
import type { SqlClient, SqlExecutor } from './sqlClient';

/**
 * The longest any one statement may run before PostgreSQL cancels it (57014, answered 503): a search
 * that slipped past every limit cannot hold a connection, or the rows it reads, for longer.
 * STATEMENT_TIMEOUT_MS changes it (0 turns it off, e.g. for a one-off migration of a huge store). The
 * embedded PGlite on disk keeps the same bound with a watchdog on its worker (storage/workerStore.ts).
 */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;

export function statementTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.STATEMENT_TIMEOUT_MS ?? DEFAULT_STATEMENT_TIMEOUT_MS);
  return Number.isInteger(value) && value >= 0 ? value : DEFAULT_STATEMENT_TIMEOUT_MS;
}

export interface PostgresClient extends SqlClient {
  /**
   * Runs `work` while holding a session advisory lock on one connection of the pool: every server on
   * this database that asks for the same key waits its turn. For set-up that spans transactions (the
   * demo data, the first accounts), which replicas starting together must not each do.
   */
  exclusively<T>(lockKey: number, work: () => Promise<T>): Promise<T>;
}

/** A real PostgreSQL server through a connection pool; each transaction has a connection to itself. */
export async function openPostgres(connectionString: string): Promise<PostgresClient> {
  // Loaded here, not at start: a server on the embedded PGlite never needs the driver.
  const { default: driver } = await import('pg');
  // Sent as a startup parameter, so every connection of the pool has it from its first statement.
  const pool = new driver.Pool({ connectionString, max: 10, statement_timeout: statementTimeoutMs() });
  // PostgreSQL may end a connection the pool holds (a restart, a failover, an administrator, a dropped
  // database): the pool forgets it and opens another when next asked. Unheard, that notice is an
  // uncaught error in Node and would stop the server; a query on the connection still fails on its own.
  pool.on('error', (error) => console.warn(`PostgreSQL ended an idle connection: ${error.message}`));
  pool.on('connect', (connection) => connection.on('error', () => undefined));
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
    async exclusively(lockKey, work) {
      const holder = await pool.connect();
      try {
        // Waiting for another server's turn is not a slow statement: no timeout for the wait.
        await holder.query('SET statement_timeout = 0');
        await holder.query('SELECT pg_advisory_lock($1)', [lockKey]);
        await holder.query('RESET statement_timeout');
        try {
          return await work();
        } finally {
          await holder.query('SELECT pg_advisory_unlock($1)', [lockKey]);
        }
      } finally {
        holder.release();
      }
    },
    close: () => pool.end(),
  };
}
