import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createTestDatabase } from '../test/databases';
import { openPostgres, type PostgresClient } from './postgresClient';

const postgresUrl = inject('postgresUrl');

describe.skipIf(!postgresUrl)('a real PostgreSQL through the pool', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let client: PostgresClient;
  let admin: PostgresClient;
  beforeAll(async () => {
    database = await createTestDatabase(postgresUrl as string);
    client = await openPostgres(database.url);
    admin = await openPostgres(database.url);
  });
  afterAll(async () => {
    await client?.close();
    await admin?.close();
    await database?.drop();
  });

  it('outlives PostgreSQL ending the connections it holds idle (a restart, a failover) and opens new ones', async () => {
    await Promise.all([client.query('SELECT 1'), client.query('SELECT 2'), client.query('SELECT 3')]);
    const [{ ended }] = await admin.query<{ ended: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS ended FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    // The admin pool's other idle connections count too; the client's own are among them.
    expect(ended).toBeGreaterThan(0);
    // A connection the pool had not yet heard was ended may fail one query; the next is on a new one.
    await vi.waitFor(async () => expect(await client.query('SELECT 1 AS one')).toEqual([{ one: 1 }]), {
      timeout: 10_000,
    });
  });
});
