import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../database/pgliteClient';
import type { SqlClient } from '../database/sqlClient';
import { migrate, MIGRATIONS } from './migrations';
import { storeConflictFrom } from './storeConflict';

let sql: SqlClient;
beforeAll(async () => {
  sql = await openPglite(undefined);
});
afterAll(() => sql.close());

const book = (id: string, patient: string, start: string, end: string, practitioner = `prac-${id}`) =>
  sql.query(
    `INSERT INTO appointment_search (id, status, patient_id, practitioner_id, start_at, end_at) VALUES ($1, 'booked', $2, $3, $4, $5)`,
    [id, patient, practitioner, start, end],
  );

describe('the patient-overlap migration', () => {
  it('lets overlapping bookings made before it be, and refuses any new overlap with patient_not_double_booked', async () => {
    // A store as it was before the rule: two overlapping bookings of one patient with two practitioners.
    await sql.query(
      'CREATE TABLE schema_migration (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    for (const migration of MIGRATIONS.filter((found) => found.version < 4)) {
      for (const statement of migration.sql
        .split(/;\s*\n/)
        .map((part) => part.trim())
        .filter(Boolean))
        await sql.query(statement);
      await sql.query('INSERT INTO schema_migration (version, description) VALUES ($1, $2)', [
        migration.version,
        migration.description,
      ]);
    }
    await book('a', 'pat-1', '2030-03-05T09:00:00+13:00', '2030-03-05T09:15:00+13:00');
    await book('b', 'pat-1', '2030-03-05T09:00:00+13:00', '2030-03-05T09:30:00+13:00');
    await migrate(sql);
    const error = await book('c', 'pat-1', '2030-03-05T09:10:00+13:00', '2030-03-05T09:20:00+13:00').then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(storeConflictFrom(error)).toMatchObject({ kind: 'exclusion', constraint: 'patient_not_double_booked' });
    // Another patient, or a time clear of the old bookings, is fine.
    await book('d', 'pat-2', '2030-03-05T09:10:00+13:00', '2030-03-05T09:20:00+13:00');
    await book('e', 'pat-1', '2030-03-05T09:30:00+13:00', '2030-03-05T09:45:00+13:00');
  });
});
