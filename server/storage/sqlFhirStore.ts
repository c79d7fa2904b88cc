import { randomUUID } from 'node:crypto';
import type { Resource, Schedule, Slot } from 'fhir/r4';
import type { FhirStore, StoreTransaction } from './fhirStore';
import type { SqlClient, SqlExecutor } from './sqlClient';
import { migrate } from './migrations';
import { type Projection, projectionOf } from './projections';
import { searchSql } from './searchSql';
import { includedReferences } from './includes';
import type { SearchSpec } from '../search/searchSpec';

const BULK_CHUNK = 2_000;

/** The resource with its id and new meta first, the way FHIR servers conventionally write them. */
function withMeta<T extends Resource>(resource: T, id: string, versionId: number, now: Date): T {
  const { resourceType, id: _previousId, meta, ...rest } = resource;
  return { resourceType, id, meta: { ...meta, versionId: String(versionId), lastUpdated: now.toISOString() }, ...rest } as unknown as T;
}

async function writeProjection(sql: SqlExecutor, type: string, id: string, projection: Projection, replacing: boolean): Promise<void> {
  if (replacing) {
    await sql.query('WITH strings AS (DELETE FROM search_string WHERE resource_type = $1 AND id = $2) DELETE FROM search_token WHERE resource_type = $1 AND id = $2', [type, id]);
    if (projection.scheduleActors) await sql.query('DELETE FROM schedule_actor WHERE schedule_id = $1', [id]);
  }
  await insertProjections(sql, type, [{ id, projection }]);
}

/** Writes the projections of many resources with one statement per table. */
async function insertProjections(sql: SqlExecutor, type: string, rows: Array<{ id: string; projection: Projection }>): Promise<void> {
  const strings = rows.flatMap(({ id, projection }) => projection.strings.map((row) => ({ id, ...row })));
  const tokens = rows.flatMap(({ id, projection }) => projection.tokens.map((row) => ({ id, ...row })));
  const patients = rows.filter(({ projection }) => projection.patient).map(({ id, projection }) => ({ id, ...projection.patient }));
  const actors = rows.flatMap(({ id, projection }) => (projection.scheduleActors ?? []).map((row) => ({ schedule_id: id, ...row })));
  const slots = rows.filter(({ projection }) => projection.slot).map(({ id, projection }) => ({ id, ...projection.slot }));
  const appointments = rows.filter(({ projection }) => projection.appointment).map(({ id, projection }) => ({ id, ...projection.appointment }));
  if (strings.length) {
    await sql.query(`INSERT INTO search_string (resource_type, id, param, value)
      SELECT $1, id, param, value FROM jsonb_to_recordset($2::jsonb) AS x(id text, param text, value text)`, [type, JSON.stringify(strings)]);
  }
  if (tokens.length) {
    await sql.query(`INSERT INTO search_token (resource_type, id, param, system, value)
      SELECT $1, id, param, system, value FROM jsonb_to_recordset($2::jsonb) AS x(id text, param text, system text, value text)`, [type, JSON.stringify(tokens)]);
  }
  if (patients.length) {
    await sql.query(`INSERT INTO patient_search (id, birthdate)
      SELECT id, birthdate FROM jsonb_to_recordset($1::jsonb) AS x(id text, birthdate date)
      ON CONFLICT (id) DO UPDATE SET birthdate = excluded.birthdate`, [JSON.stringify(patients)]);
  }
  if (actors.length) {
    await sql.query(`INSERT INTO schedule_actor (schedule_id, actor_type, actor_id)
      SELECT schedule_id, actor_type, actor_id FROM jsonb_to_recordset($1::jsonb) AS x(schedule_id text, actor_type text, actor_id text)
      ON CONFLICT DO NOTHING`, [JSON.stringify(actors)]);
  }
  if (slots.length) {
    await sql.query(`INSERT INTO slot_search (id, schedule_id, status, start_at, end_at)
      SELECT id, schedule_id, status, start_at, end_at
      FROM jsonb_to_recordset($1::jsonb) AS x(id text, schedule_id text, status text, start_at timestamptz, end_at timestamptz)
      ON CONFLICT (id) DO UPDATE SET schedule_id = excluded.schedule_id, status = excluded.status,
        start_at = excluded.start_at, end_at = excluded.end_at`, [JSON.stringify(slots)]);
  }
  if (appointments.length) {
    await sql.query(`INSERT INTO appointment_search (id, status, patient_id, practitioner_id, location_id, slot_id, start_at, end_at)
      SELECT id, status, patient_id, practitioner_id, location_id, slot_id, start_at, end_at
      FROM jsonb_to_recordset($1::jsonb) AS x(id text, status text, patient_id text, practitioner_id text,
        location_id text, slot_id text, start_at timestamptz, end_at timestamptz)
      ON CONFLICT (id) DO UPDATE SET status = excluded.status, patient_id = excluded.patient_id,
        practitioner_id = excluded.practitioner_id, location_id = excluded.location_id, slot_id = excluded.slot_id,
        start_at = excluded.start_at, end_at = excluded.end_at`, [JSON.stringify(appointments)]);
  }
}

async function readContent<T extends Resource>(sql: SqlExecutor, type: string, id: string, lock: boolean): Promise<T | undefined> {
  const rows = await sql.query<{ content: T }>(
    `SELECT content FROM resource WHERE resource_type = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    [type, id],
  );
  return rows[0]?.content;
}

function transactionOver(sql: SqlExecutor): StoreTransaction {
  return {
    read: (type, id) => readContent(sql, type, id, false),
    readForUpdate: (type, id) => readContent(sql, type, id, true),
    async create(resource, now) {
      const stored = withMeta(resource, randomUUID(), 1, now);
      const row = [stored.resourceType, stored.id, 1, now.toISOString(), JSON.stringify(stored)];
      // One statement per step: every statement is a round trip into PGlite, and a booking makes a dozen.
      await sql.query(
        `WITH current AS (INSERT INTO resource (resource_type, id, version_id, last_updated, content) VALUES ($1, $2, $3, $4, $5::json))
         INSERT INTO resource_history (resource_type, id, version_id, last_updated, content) VALUES ($1, $2, $3, $4, $5::json)`,
        row,
      );
      await writeProjection(sql, stored.resourceType, stored.id as string, projectionOf(stored), false);
      return stored;
    },
    async update(resource, now) {
      const id = resource.id as string;
      const current = await sql.query<{ version_id: number }>(
        'SELECT version_id FROM resource WHERE resource_type = $1 AND id = $2 FOR UPDATE',
        [resource.resourceType, id],
      );
      if (current.length === 0) throw new Error(`${resource.resourceType}/${id} does not exist`);
      const stored = withMeta(resource, id, current[0].version_id + 1, now);
      const row = [stored.resourceType, id, current[0].version_id + 1, now.toISOString(), JSON.stringify(stored)];
      // bulkLoad keeps version 1 only in `resource`; it is archived before it is overwritten so vread still finds it
      // (all three parts see the row as it was before this statement).
      await sql.query(
        `WITH archived AS (
           INSERT INTO resource_history (resource_type, id, version_id, last_updated, content)
           SELECT resource_type, id, version_id, last_updated, content FROM resource WHERE resource_type = $1 AND id = $2
           ON CONFLICT DO NOTHING
         ), current AS (
           UPDATE resource SET version_id = $3, last_updated = $4, content = $5::json WHERE resource_type = $1 AND id = $2
         )
         INSERT INTO resource_history (resource_type, id, version_id, last_updated, content) VALUES ($1, $2, $3, $4, $5::json)`,
        row,
      );
      await writeProjection(sql, stored.resourceType, id, projectionOf(stored), true);
      return stored;
    },
    async schedulesOf(practitionerId) {
      return (await sql.query<{ content: Schedule }>(
        `SELECT r.content FROM schedule_actor sa JOIN resource r ON r.resource_type = 'Schedule' AND r.id = sa.schedule_id
         WHERE sa.actor_type = 'Practitioner' AND sa.actor_id = $1 ORDER BY r.id`,
        [practitionerId],
      )).map((row) => row.content);
    },
    async slotsOverlapping(scheduleIds, start, end) {
      if (scheduleIds.length === 0) return [];
      return (await sql.query<{ content: Slot }>(
        `SELECT r.content FROM slot_search s JOIN resource r ON r.resource_type = 'Slot' AND r.id = s.id
         WHERE s.schedule_id = ANY($1) AND s.start_at < $3 AND s.end_at > $2 ORDER BY s.start_at, s.id FOR UPDATE OF r`,
        [scheduleIds, start.toISOString(), end.toISOString()],
      )).map((row) => row.content);
    },
    async hasBookedOverlap(practitionerId, start, end, exceptAppointmentId) {
      const rows = await sql.query(
        `SELECT 1 FROM appointment_search WHERE practitioner_id = $1 AND status = 'booked'
         AND start_at < $3 AND end_at > $2 AND id <> $4 LIMIT 1`,
        [practitionerId, start.toISOString(), end.toISOString(), exceptAppointmentId ?? ''],
      );
      return rows.length > 0;
    },
  };
}

export class SqlFhirStore implements FhirStore {
  private constructor(private readonly sql: SqlClient) {}

  static async open(sql: SqlClient): Promise<SqlFhirStore> {
    await migrate(sql);
    return new SqlFhirStore(sql);
  }

  read<T extends Resource>(type: T['resourceType'], id: string) {
    return readContent<T>(this.sql, type, id, false);
  }

  async vread<T extends Resource>(type: T['resourceType'], id: string, versionId: string) {
    if (!/^\d{1,9}$/.test(versionId)) return undefined;
    const rows = await this.sql.query<{ content: T }>(
      `SELECT content FROM resource_history WHERE resource_type = $1 AND id = $2 AND version_id = $3
       UNION ALL SELECT content FROM resource WHERE resource_type = $1 AND id = $2 AND version_id = $3 LIMIT 1`,
      [type, id, Number(versionId)],
    );
    return rows[0]?.content;
  }

  async search(spec: SearchSpec) {
    const { page, total } = searchSql(spec);
    const resources: Resource[] = spec.count > 0 ? JSON.parse((await this.sql.query<{ page: string }>(page.text, page.values))[0].page) : [];
    // A page that is not full (and not past the end) is the last one, so it tells the total without counting.
    const lastPage = resources.length < spec.count && (resources.length > 0 || spec.offset === 0);
    const count = lastPage ? spec.offset + resources.length : (await this.sql.query<{ total: number }>(total.text, total.values))[0].total;
    const included: Resource[] = [];
    for (const [type, ids] of includedReferences(resources, spec.include)) {
      const rows = await this.sql.query<{ content: Resource }>(
        'SELECT content FROM resource WHERE resource_type = $1 AND id = ANY($2) ORDER BY id',
        [type, ids],
      );
      included.push(...rows.map((row) => row.content));
    }
    return { total: count, matches: resources, included };
  }

  transaction<T>(callback: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    return this.sql.transaction((sql) => callback(transactionOver(sql)));
  }

  async bulkLoad(resources: Resource[], now: Date): Promise<number> {
    let inserted = 0;
    const byType = new Map<string, Resource[]>();
    for (const resource of resources) {
      const ofType = byType.get(resource.resourceType);
      if (ofType) ofType.push(resource);
      else byType.set(resource.resourceType, [resource]);
    }
    for (const [type, ofType] of byType) {
      for (let i = 0; i < ofType.length; i += BULK_CHUNK) {
        const chunk = ofType.slice(i, i + BULK_CHUNK).map((resource) => withMeta(resource, resource.id as string, 1, now));
        inserted += await this.sql.transaction(async (sql) => {
          const fresh = await sql.query<{ id: string }>(
            `INSERT INTO resource (resource_type, id, version_id, last_updated, content)
             SELECT $1, x.content->>'id', 1, $2, x.content FROM json_array_elements($3::json) AS x(content)
             ON CONFLICT DO NOTHING RETURNING id`,
            [type, now.toISOString(), JSON.stringify(chunk)],
          );
          const freshIds = new Set(fresh.map((row) => row.id));
          const rows = chunk.filter((resource) => freshIds.has(resource.id as string)).map((resource) => ({ id: resource.id as string, projection: projectionOf(resource) }));
          await insertProjections(sql, type, rows);
          return fresh.length;
        });
      }
    }
    // PGlite has no autovacuum, so nothing else would gather the statistics the planner needs
    // to pick index plans once a large load has changed the tables (tens of ms per search otherwise).
    if (inserted >= BULK_CHUNK) await this.sql.query('ANALYZE');
    return inserted;
  }

  async count(type: Resource['resourceType']) {
    const [row] = await this.sql.query<{ total: number }>('SELECT count(*)::int AS total FROM resource WHERE resource_type = $1', [type]);
    return row.total;
  }

  async lastSlotStartBySchedule() {
    const rows = await this.sql.query<{ schedule_id: string; last_start: Date | string }>(
      'SELECT schedule_id, max(start_at) AS last_start FROM slot_search GROUP BY schedule_id',
    );
    return new Map(rows.map((row) => [row.schedule_id, new Date(row.last_start)]));
  }

  async clear() {
    await this.sql.transaction(async (sql) => {
      await sql.query('TRUNCATE resource, resource_history, search_string, search_token, patient_search, schedule_actor, slot_search, appointment_search');
    });
  }

  close() {
    return this.sql.close();
  }
}
