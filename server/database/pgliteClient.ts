import { parse, PGlite, protocol, type Results } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { PG_PROGRAM_LIMIT_EXCEEDED, type SqlClient, type SqlExecutor } from './sqlClient';

/** Named statements kept per connection; past this, statements are parsed each time as before. */
const MAX_PREPARED = 500;
/**
 * PGlite loses a Parse message longer than about 32 KB of SQL (the statement then "does not exist");
 * such a statement is refused as too large (PostgreSQL's program_limit_exceeded) instead.
 */
const MAX_STATEMENT_BYTES = 30 * 1024;
/**
 * A transaction's statements are the services' own, the same few shapes every time: each is planned
 * once, for any parameters (a generic plan), rather than at every execution as PostgreSQL does for a
 * prepared statement's first five runs and then whenever its custom plans look cheaper. That planning
 * was half of a booking's slot lookup (0.35 of 0.7 ms). Searches outside transactions keep custom
 * plans: their parameters (a name's letters, a range of days) change which plan is best.
 */
const BEGIN = 'BEGIN; SET LOCAL plan_cache_mode = force_generic_plan';

/** A parameter as PostgreSQL reads it in text form (the same forms node-postgres sends, all untyped). */
function textParameter(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return arrayLiteral(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function arrayLiteral(values: unknown[]): string {
  return `{${values.map((value) => (value === null || value === undefined ? 'NULL' : `"${String(textParameter(value)).replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Embedded PostgreSQL. PGlite is a single connection that runs one transaction at a time,
 * so concurrent bookings are serialised here and the database constraints are the last word.
 * `dataDir` undefined keeps everything in memory (tests).
 *
 * Each statement goes to PGlite as one extended-protocol message (Parse once per statement text,
 * then Bind, Describe, Execute, Sync) rather than PGlite's `query`, which makes six calls into the
 * engine and parses and plans the text every time: a statement costs about a third as much.
 */
export async function openPglite(dataDir: string | undefined): Promise<SqlClient> {
  const db = await PGlite.create(dataDir, { extensions: { btree_gist } });
  const prepared = new Map<string, string>();

  async function run<Row>(sql: string, params: unknown[]): Promise<Row[]> {
    // Only parameterised statements are kept: they are the ones a request repeats.
    const known = prepared.get(sql);
    if (known === undefined && sql.length > MAX_STATEMENT_BYTES / 3 && Buffer.byteLength(sql) > MAX_STATEMENT_BYTES) {
      throw Object.assign(
        new Error(`The statement is too large for the embedded database (${Buffer.byteLength(sql)} bytes of SQL).`),
        { code: PG_PROGRAM_LIMIT_EXCEEDED },
      );
    }
    const name = known ?? (params.length > 0 && prepared.size < MAX_PREPARED ? `s${prepared.size + 1}` : '');
    const message = concat([
      ...(known === undefined ? [protocol.serialize.parse({ name, text: sql })] : []),
      protocol.serialize.bind({ statement: name, values: params.map(textParameter) }),
      protocol.serialize.describe({ type: 'P' }),
      protocol.serialize.execute({}),
      protocol.serialize.sync(),
    ]);
    const { messages } = await db.execProtocol(message, { throwOnError: false });
    if (known === undefined && name !== '' && messages.some((reply) => reply.name === 'parseComplete'))
      prepared.set(sql, name);
    const failure = messages.find((reply) => reply instanceof protocol.messages.DatabaseError);
    if (failure) throw failure;
    return (parse.parseResults(messages, db.parsers)[0] as Results<Row> | undefined)?.rows ?? [];
  }

  async function command(sql: string): Promise<string | undefined> {
    const { messages } = await db.execProtocol(protocol.serialize.query(sql));
    return messages.find((reply) => reply instanceof protocol.messages.CommandCompleteMessage)?.text;
  }

  const inTransaction: SqlExecutor = { query: (sql, params = []) => run(sql, params) };
  return {
    query: (sql, params = []) => db.runExclusive(() => run(sql, params)),
    transaction: (callback) =>
      db.runExclusive(async () => {
        await command(BEGIN);
        let result;
        try {
          result = await callback(inTransaction);
        } catch (error) {
          await command('ROLLBACK');
          throw error;
        }
        // COMMIT of a transaction a failed statement aborted answers ROLLBACK: nothing was stored.
        if ((await command('COMMIT')) === 'ROLLBACK') throw new Error('The transaction was rolled back.');
        return result;
      }),
    close: () => db.close(),
  };
}
