/**
 * What the database's own guards said when a transaction broke one: storage's word for it, so the
 * services above never see a database's error codes. The constraint's name says which guard it was.
 */
import {
  PG_EXCLUSION_VIOLATION,
  PG_SERIALIZATION_FAILURE,
  PG_UNIQUE_VIOLATION,
  pgErrorCode,
} from '../database/sqlClient';

export type ConflictKind = 'unique' | 'exclusion' | 'serialization';

export class StoreConflict extends Error {
  override readonly name = 'StoreConflict';

  constructor(
    readonly kind: ConflictKind,
    readonly constraint: string | undefined,
  ) {
    super(`The transaction conflicted with the database's ${kind} guard${constraint ? ` ${constraint}` : ''}.`);
  }
}

const KINDS: Record<string, ConflictKind> = {
  [PG_UNIQUE_VIOLATION]: 'unique',
  [PG_EXCLUSION_VIOLATION]: 'exclusion',
  [PG_SERIALIZATION_FAILURE]: 'serialization',
};

/** The conflict a database error stands for, or undefined when it is no conflict. */
export function storeConflictFrom(error: unknown): StoreConflict | undefined {
  const kind = KINDS[pgErrorCode(error) ?? ''];
  if (!kind) return undefined;
  const constraint = (error as { constraint?: unknown }).constraint;
  return new StoreConflict(kind, typeof constraint === 'string' ? constraint : undefined);
}
