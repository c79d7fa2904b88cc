/**
 * A statement the database stopped (the statement timeout) or could not take in one message (too
 * large for PGlite), in storage's words: the HTTP layer answers them without knowing a database's codes.
 */
import { PG_PROGRAM_LIMIT_EXCEEDED, PG_QUERY_CANCELED, pgErrorCode } from '../database/sqlClient';

export type DatabaseRefusal = 'timed-out' | 'too-large';

export function databaseRefusalOf(error: unknown): DatabaseRefusal | undefined {
  const code = pgErrorCode(error);
  if (code === PG_QUERY_CANCELED) return 'timed-out';
  if (code === PG_PROGRAM_LIMIT_EXCEEDED) return 'too-large';
  return undefined;
}
