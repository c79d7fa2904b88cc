/**
 * The one thing storage needs from a database: parameterised queries and transactions.
 * PGlite (embedded, the default) and node-postgres (a real server via DATABASE_URL) both provide it.
 */
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface SqlClient extends SqlExecutor {
  /** Runs the callback in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(callback: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PostgreSQL error codes the storage turns into FHIR answers. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_EXCLUSION_VIOLATION = '23P01';
export const PG_SERIALIZATION_FAILURE = '40001';
/** A statement stopped by statement_timeout (or cancelled). */
export const PG_QUERY_CANCELED = '57014';
/** A statement too large or complex for the database to take. */
export const PG_PROGRAM_LIMIT_EXCEEDED = '54000';

export function pgErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
