import { randomUUID } from 'node:crypto';
import type { Resource, Slot } from 'fhir/r4';
import type { CommittedRows } from './committedRows';
import type { FhirStore, HistoryPage, StoreTransaction } from './fhirStore';
import type { SqlClient, SqlExecutor } from '../database/sqlClient';
import { migrate } from './migrations';
import { insertMessages, withdrawReminders } from './outbox';
import { type Projection, projectionOf } from './projections';
import { Params, searchSql } from './searchSql';
import { includedReferences } from './includes';
import { ANY_SCHEDULES_SLOTS, partsWritten, slotSearchByDay, type DaySearch, type SearchCache } from './searchCache';
import type { SearchResult, SearchSpec } from './searchSpec';
import type { SlotChange } from './slotChanges';
import { storeConflictFrom } from './storeConflict';
import type { StoreOperation } from './storeOperation';

const BULK_CHUNK = 2_000;

/**
 * The overlap test of the double-booking constraint, so its GiST index finds a practitioner's booked
 * appointments in a period. Without it the planner, on statistics PGlite never refreshes (no
 * autovacuum), scanned every appointment ever made, for each booking and each slot it touched.
 * The plain comparisons stay beside it and decide; the closed range given here only narrows to
 * a superset of what they accept (an instant or a reversed period included, never an error).
 */
const BOOKED_OVERLAP_INDEXED = (start: string, end: string, alias = '') =>
  `tstzrange(${alias}start_at, ${alias}end_at) && tstzrange(least(${start}, ${end}), greatest(${start}, ${end}), '[]')`;

/** The resource with its id and new meta first, the way FHIR servers conventionally write them. */
function withMeta<T extends Resource>(resource: T, id: string, versionId: number, now: Date): T {
  const { resourceType, id: _previousId, meta, ...rest } = resource;
  return {
    resourceType,
    id,
    meta: { ...meta, versionId: String(versionId), lastUpdated: now.toISOString() },
    ...rest,
  } as unknown as T;
}

/** Whether two projections have the same string and token rows (the words and codes a search matches). */
function sameWords(one: Projection, other: Projection): boolean {
  return JSON.stringify([one.strings, one.tokens]) === JSON.stringify([other.strings, other.tokens]);
}

/**
 * The data-modifying parts (`name AS (statement)`) that write the projections of resources of one
 * type, one per table that gets rows, so a write and its projections run as one statement. With
 * `keepingWords`, the string and token rows are left as they are (an update that does not change them).
 */
function projectionInserts(
  type: string,
  rows: Array<{ id: string; projection: Projection }>,
  params: Params,
  keepingWords = false,
): string[] {
  const strings = keepingWords
    ? []
    : rows.flatMap(({ id, projection }) => projection.strings.map((row) => ({ id, ...row })));
  const tokens = keepingWords
    ? []
    : rows.flatMap(({ id, projection }) => projection.tokens.map((row) => ({ id, ...row })));
  const patients = rows
    .filter(({ projection }) => projection.patient)
    .map(({ id, projection }) => ({ id, ...projection.patient }));
  const actors = rows.flatMap(({ id, projection }) =>
    (projection.scheduleActors ?? []).map((row) => ({ schedule_id: id, ...row })),
  );
  const slots = rows
    .filter(({ projection }) => projection.slot)
    .map(({ id, projection }) => ({ id, ...projection.slot }));
  const appointments = rows
    .filter(({ projection }) => projection.appointment)
    .map(({ id, projection }) => ({ id, ...projection.appointment }));
  const parts: string[] = [];
  if (strings.length) {
    parts.push(`string_rows AS (INSERT INTO search_string (resource_type, id, param, value)
      SELECT ${params.add(type)}, id, param, value FROM jsonb_to_recordset(${params.add(JSON.stringify(strings))}::jsonb) AS x(id text, param text, value text))`);
  }
  if (tokens.length) {
    parts.push(`token_rows AS (INSERT INTO search_token (resource_type, id, param, system, value)
      SELECT ${params.add(type)}, id, param, system, value FROM jsonb_to_recordset(${params.add(JSON.stringify(tokens))}::jsonb) AS x(id text, param text, system text, value text))`);
  }
  if (patients.length) {
    parts.push(`patient_rows AS (INSERT INTO patient_search (id, birthdate)
      SELECT id, birthdate FROM jsonb_to_recordset(${params.add(JSON.stringify(patients))}::jsonb) AS x(id text, birthdate date)
      ON CONFLICT (id) DO UPDATE SET birthdate = excluded.birthdate)`);
  }
  if (actors.length) {
    parts.push(`actor_rows AS (INSERT INTO schedule_actor (schedule_id, actor_type, actor_id)
      SELECT schedule_id, actor_type, actor_id FROM jsonb_to_recordset(${params.add(JSON.stringify(actors))}::jsonb) AS x(schedule_id text, actor_type text, actor_id text)
      ON CONFLICT DO NOTHING)`);
  }
  if (slots.length) {
    parts.push(`slot_rows AS (INSERT INTO slot_search (id, schedule_id, status, start_at, end_at)
      SELECT id, schedule_id, status, start_at, end_at
      FROM jsonb_to_recordset(${params.add(JSON.stringify(slots))}::jsonb) AS x(id text, schedule_id text, status text, start_at timestamptz, end_at timestamptz)
      ON CONFLICT (id) DO UPDATE SET schedule_id = excluded.schedule_id, status = excluded.status,
        start_at = excluded.start_at, end_at = excluded.end_at)`);
  }
  if (appointments.length) {
    parts.push(`appointment_rows AS (INSERT INTO appointment_search (id, status, patient_id, practitioner_id, location_id, slot_id, start_at, end_at)
      SELECT id, status, patient_id, practitioner_id, location_id, slot_id, start_at, end_at
      FROM jsonb_to_recordset(${params.add(JSON.stringify(appointments))}::jsonb) AS x(id text, status text, patient_id text, practitioner_id text,
        location_id text, slot_id text, start_at timestamptz, end_at timestamptz)
      ON CONFLICT (id) DO UPDATE SET status = excluded.status, patient_id = excluded.patient_id,
        practitioner_id = excluded.practitioner_id, location_id = excluded.location_id, slot_id = excluded.slot_id,
        start_at = excluded.start_at, end_at = excluded.end_at)`);
  }
  return parts;
}

async function readContent<T extends Resource>(
  sql: SqlExecutor,
  type: string,
  id: string,
  lock: boolean,
): Promise<T | undefined> {
  const rows = await sql.query<{ content: T }>(
    `SELECT content FROM resource WHERE resource_type = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    [type, id],
  );
  return rows[0]?.content;
}

async function searchWith(sql: SqlExecutor, spec: SearchSpec): Promise<SearchResult<Resource>> {
  const { page, total } = searchSql(spec);
  const resources: Resource[] =
    spec.count > 0 ? JSON.parse((await sql.query<{ page: string }>(page.text, page.values))[0].page) : [];
  // A page that is not full (and not past the end) is the last one, so it tells the total without counting.
  const lastPage = resources.length < spec.count && (resources.length > 0 || spec.offset === 0);
  const count = lastPage
    ? spec.offset + resources.length
    : (await sql.query<{ total: number }>(total.text, total.values))[0].total;
  const included: Resource[] = [];
  for (const [type, ids] of includedReferences(resources, spec.include)) {
    const rows = await sql.query<{ content: Resource }>(
      'SELECT content FROM resource WHERE resource_type = $1 AND id = ANY($2) ORDER BY id',
      [type, ids],
    );
    included.push(...rows.map((row) => row.content));
  }
  return { total: count, matches: resources, included };
}

/**
 * A whole week's slots split into its days' results, each kept where it is not kept already. All are
 * made from the week's one read (a day kept before it may be older: a write may have come between).
 */
function keepByDay(
  slots: Resource[],
  days: DaySearch[],
  found: Array<ReturnType<SearchCache['find']>>,
): Array<SearchResult<Resource>> {
  const starts = slots.map((slot) => Date.parse((slot as Slot).start));
  return days.map(({ from, to }, index) => {
    const matches = slots.filter((_slot, at) => starts[at] >= from && starts[at] < to);
    const result = { total: matches.length, matches, included: [] };
    const day = found[index];
    if ('keep' in day) day.keep(result);
    return result;
  });
}

/**
 * The transaction, recording what its writes change for the search cache: a resource is written
 * after it was read in the same transaction, so the version it replaces is known (a slot moved to
 * another schedule changes both schedules' slots).
 */
function recordingWrites(tx: StoreTransaction): {
  tx: StoreTransaction;
  written: Set<string>;
  /** Every slot written, as read first and as last written; undefined when one was not read first (or created). */
  slotChanges: () => SlotChange[] | undefined;
} {
  const written = new Set<string>();
  const seen = new Map<string, Resource>();
  const slots = new Map<string, SlotChange>();
  let slotNotRead = false;
  const remember = <T extends Resource>(found: T | undefined) => {
    if (found) seen.set(`${found.resourceType}/${found.id}`, found);
    return found;
  };
  const record = <T extends Resource>(stored: T, before?: Resource) => {
    for (const part of partsWritten(stored, before)) written.add(part);
    return stored;
  };
  const slotWritten = (stored: Resource, before: Resource | undefined) => {
    if (stored.resourceType !== 'Slot') return;
    const first = slots.get(stored.id as string)?.before ?? before;
    if (first) slots.set(stored.id as string, { before: first as Slot, after: stored as Slot });
    else slotNotRead = true;
  };
  return {
    written,
    slotChanges: () => (slotNotRead ? undefined : [...slots.values()]),
    tx: {
      ...tx,
      read: async (type, id) => remember(await tx.read(type, id)),
      readForUpdate: async (type, id) => remember(await tx.readForUpdate(type, id)),
      async slotsOverlapping(...args) {
        const found = await tx.slotsOverlapping(...args);
        for (const { slot } of found) remember(slot);
        return found;
      },
      create: async (resource, now, id) => {
        const stored = await tx.create(resource, now, id);
        slotWritten(stored, undefined);
        return record(stored);
      },
      update: async (resource, now, given) => {
        const before = seen.get(`${resource.resourceType}/${resource.id}`);
        // Not read here first (against the interface's word): what it replaced is unknown, so all slots are.
        if (!before && resource.resourceType === 'Slot') written.add(ANY_SCHEDULES_SLOTS);
        const stored = await tx.update(resource, now, given);
        slotWritten(stored, before);
        return record(stored, before);
      },
    },
  };
}

/**
 * The transaction, answering a read of a resource it has locked (read for update) or written from what
 * it holds: no other transaction can change that row before this one ends, so the database would give
 * back the same. A booking reads its patient, practitioner and slot for update, and its email reads
 * them again.
 */
function holdingRows(tx: StoreTransaction): StoreTransaction {
  const held = new Map<string, Resource>();
  const hold = <T extends Resource>(resource: T | undefined) => {
    if (resource) held.set(`${resource.resourceType}/${resource.id}`, resource);
    return resource;
  };
  return {
    ...tx,
    read: async <T extends Resource>(type: T['resourceType'], id: string) =>
      (held.get(`${type}/${id}`) as T | undefined) ?? tx.read<T>(type, id),
    readForUpdate: async (type, id) => hold(await tx.readForUpdate(type, id)),
    async slotsOverlapping(...args) {
      const found = await tx.slotsOverlapping(...args);
      for (const { slot } of found) hold(slot);
      return found;
    },
    create: async (resource, now, id) => hold(await tx.create(resource, now, id)) as typeof resource,
    // What it holds is the version being replaced: the store need not rewrite search rows it shares.
    update: async (resource, now, before) =>
      hold(
        await tx.update(
          resource,
          now,
          before ?? (held.get(`${resource.resourceType}/${resource.id}`) as typeof before),
        ),
      ) as typeof resource,
  };
}

function transactionOver(sql: SqlExecutor): StoreTransaction {
  return {
    search: (spec) => searchWith(sql, spec),
    read: (type, id) => readContent(sql, type, id, false),
    readForUpdate: (type, id) => readContent(sql, type, id, true),
    async create(resource, now, givenId) {
      const stored = withMeta(resource, givenId ?? randomUUID(), 1, now);
      const params = new Params();
      const [type, id, updated, content] = [
        stored.resourceType,
        stored.id,
        now.toISOString(),
        JSON.stringify(stored),
      ].map((value) => params.add(value));
      // One statement for the resource, its history and its projections: each statement is a round trip into the database.
      await sql.query(
        `WITH current AS (INSERT INTO resource (resource_type, id, version_id, last_updated, content) VALUES (${type}, ${id}, 1, ${updated}, ${content}::json)),
         history AS (INSERT INTO resource_history (resource_type, id, version_id, last_updated, content) VALUES (${type}, ${id}, 1, ${updated}, ${content}::json))
         ${projectionInserts(
           stored.resourceType,
           [{ id: stored.id as string, projection: projectionOf(stored) }],
           params,
         )
           .map((part) => `, ${part}`)
           .join('')}
         SELECT 1`,
        params.values,
      );
      return stored;
    },
    async update(resource, now, before) {
      const id = resource.id as string;
      const replaced = Number(resource.meta?.versionId);
      if (!Number.isInteger(replaced)) throw new Error(`${resource.resourceType}/${id} has no version to replace`);
      const stored = withMeta(resource, id, replaced + 1, now);
      const projection = projectionOf(stored);
      // A slot's status change keeps its service tokens: deleting and inserting them again was a third of its update.
      const keepingWords =
        before !== undefined &&
        before.meta?.versionId === resource.meta?.versionId &&
        sameWords(projectionOf(before), projection);
      // schedule_actor has a key the new rows could share with the old: the old go first, on their own.
      if (projection.scheduleActors) await sql.query('DELETE FROM schedule_actor WHERE schedule_id = $1', [id]);
      const params = new Params();
      const [type, key, version, updated, content, previous] = [
        stored.resourceType,
        id,
        replaced + 1,
        now.toISOString(),
        JSON.stringify(stored),
        replaced,
      ].map((value) => params.add(value));
      // Every part sees the rows as they were before this statement. bulkLoad keeps version 1 only in
      // `resource`, so it is archived before it is overwritten and vread still finds it (every later
      // version was written to the history as it was stored).
      const archived = `archived AS (
           INSERT INTO resource_history (resource_type, id, version_id, last_updated, content)
           SELECT resource_type, id, version_id, last_updated, content FROM resource WHERE resource_type = ${type} AND id = ${key}
           ON CONFLICT DO NOTHING
         ),`;
      const [{ updated: count }] = await sql.query<{ updated: number }>(
        `WITH ${replaced === 1 ? archived : ''} current AS (
           UPDATE resource SET version_id = ${version}, last_updated = ${updated}, content = ${content}::json
           WHERE resource_type = ${type} AND id = ${key} AND version_id = ${previous} RETURNING id
         ), history AS (
           INSERT INTO resource_history (resource_type, id, version_id, last_updated, content)
           SELECT ${type}, ${key}, ${version}, ${updated}, ${content}::json FROM current
         )
         ${[
           ...(keepingWords
             ? []
             : [
                 `old_strings AS (DELETE FROM search_string WHERE resource_type = ${type} AND id = ${key})`,
                 `old_tokens AS (DELETE FROM search_token WHERE resource_type = ${type} AND id = ${key})`,
               ]),
           ...projectionInserts(stored.resourceType, [{ id, projection }], params, keepingWords),
         ]
           .map((part) => `, ${part}`)
           .join('')}
         SELECT count(*)::int AS updated FROM current`,
        params.values,
      );
      // The caller's transaction is rolled back by this, with whatever the statement wrote.
      if (count !== 1) throw new Error(`${resource.resourceType}/${id} is not stored at version ${replaced}`);
      return stored;
    },
    async slotsOverlapping(practitionerId, start, end) {
      // Each slot's resource by its key: joined plainly, the planner hashed every Slot to find a few.
      return sql.query<{ slot: Slot; booked: boolean }>(
        `SELECT r.content AS slot, EXISTS (
           SELECT 1 FROM appointment_search a WHERE a.practitioner_id = $1 AND a.status = 'booked'
           AND ${BOOKED_OVERLAP_INDEXED('s.start_at', 's.end_at', 'a.')} AND a.start_at < s.end_at AND a.end_at > s.start_at
         ) AS booked
         FROM slot_search s
         CROSS JOIN LATERAL (SELECT content FROM resource WHERE resource_type = 'Slot' AND id = s.id FOR UPDATE) r
         WHERE s.schedule_id IN (SELECT schedule_id FROM schedule_actor WHERE actor_type = 'Practitioner' AND actor_id = $1)
           AND s.start_at < $3 AND s.end_at > $2 ORDER BY s.start_at, s.id`,
        [practitionerId, start.toISOString(), end.toISOString()],
      );
    },
    async bookedOverlaps({ practitionerId, patientId }, start, end, exceptAppointmentId) {
      const [found] = await sql.query<{ practitioner: boolean; patient: boolean }>(
        `SELECT EXISTS (
           SELECT 1 FROM appointment_search WHERE practitioner_id = $1 AND status = 'booked'
           AND ${BOOKED_OVERLAP_INDEXED('$3::timestamptz', '$4::timestamptz')} AND start_at < $4 AND end_at > $3 AND id <> $5
         ) AS practitioner, EXISTS (
           SELECT 1 FROM appointment_search WHERE patient_id = $2 AND status = 'booked'
           AND start_at < $4 AND end_at > $3 AND id <> $5
         ) AS patient`,
        [practitionerId, patientId, start.toISOString(), end.toISOString(), exceptAppointmentId ?? ''],
      );
      return found;
    },
    async futureBookingsOf(patientId, now, exceptAppointmentId) {
      const [{ total }] = await sql.query<{ total: number }>(
        `SELECT count(*)::int AS total FROM appointment_search WHERE patient_id = $1 AND status = 'booked' AND start_at > $2 AND id <> $3`,
        [patientId, now.toISOString(), exceptAppointmentId ?? ''],
      );
      return total;
    },
    queueMessages: (messages) => insertMessages(sql, messages),
    withdrawReminders: (appointmentIds, reason) => withdrawReminders(sql, appointmentIds, reason),
  };
}

export interface Recorded<Output> {
  output: Output;
  written: string[];
  slotChanges?: SlotChange[];
}

export class SqlFhirStore implements FhirStore {
  /**
   * Over a database whose schema is up to date; `open` brings it up to date first. A search cache
   * only where this store is the database's one writer (see searchCache.ts).
   */
  constructor(
    private readonly sql: SqlClient,
    protected readonly searchCache?: SearchCache,
    private readonly committedRows?: CommittedRows,
  ) {}

  static async open(sql: SqlClient, committedRows?: CommittedRows): Promise<SqlFhirStore> {
    await migrate(sql);
    return new SqlFhirStore(sql, undefined, committedRows);
  }

  async read<T extends Resource>(type: T['resourceType'], id: string) {
    const cached = this.searchCache?.findRead(type, id);
    if (cached && 'hit' in cached) return cached.hit as T;
    let found: T | undefined;
    try {
      found = await readContent<T>(this.sql, type, id, false);
    } finally {
      // Also when the read failed: the cache then forgets the read it was waiting for.
      cached?.keep(found);
    }
    return found;
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

  async history<T extends Resource>(type: T['resourceType'], id: string) {
    // bulkLoad keeps version 1 only in `resource`, so the current row fills in what history lacks.
    const rows = await this.sql.query<{ content: T }>(
      `SELECT content FROM (
         SELECT version_id, content FROM resource_history WHERE resource_type = $1 AND id = $2
         UNION ALL SELECT version_id, content FROM resource WHERE resource_type = $1 AND id = $2
           AND NOT EXISTS (SELECT 1 FROM resource_history h WHERE h.resource_type = $1 AND h.id = $2 AND h.version_id = resource.version_id)
       ) versions ORDER BY version_id DESC`,
      [type, id],
    );
    return rows.map((row) => row.content);
  }

  async search(spec: SearchSpec): Promise<SearchResult<Resource>> {
    const cached = this.searchCache?.find(spec);
    if (cached && 'hit' in cached) return cached.hit;
    const days = cached && slotSearchByDay(spec);
    const result =
      (days && this.searchCache && (await this.searchDayByDay(spec, days, this.searchCache))) ??
      (await searchWith(this.sql, spec));
    if (cached) cached.keep(result);
    return result;
  }

  /**
   * A week of slots from its days' searches, each kept on its own; or undefined when they hold more than
   * one page. Only a day that is not kept is read: after a booking, one. A week none of whose days are
   * kept (or all but one) is read in one search, and its days are kept from it.
   */
  private async searchDayByDay(
    spec: SearchSpec,
    days: DaySearch[],
    cache: SearchCache,
  ): Promise<SearchResult<Resource> | undefined> {
    const found = days.map((day) => cache.find(day.search));
    if (found.filter((day) => 'keep' in day).length > 1) {
      const week = await searchWith(this.sql, spec);
      if (week.total !== week.matches.length) return week;
      return { ...week, parts: keepByDay(week.matches, days, found) };
    }
    const results = [];
    for (const [index, day] of found.entries()) {
      if ('hit' in day) results.push(day.hit);
      else {
        const result = await searchWith(this.sql, days[index].search);
        day.keep(result);
        results.push(result);
      }
    }
    const matches = results.flatMap((result) => result.matches);
    const whole = results.every((result) => result.total === result.matches.length);
    if (!whole || matches.length > spec.count) return undefined;
    return { total: matches.length, matches, included: [], parts: results };
  }

  async typeHistory<T extends Resource>(type: T['resourceType'], page: HistoryPage) {
    const params = new Params();
    const typeParam = params.add(type);
    // Keys only until the page is cut, then each version's content by its key (as searchSql does):
    // sorting whole JSON documents to keep fifty was most of the time. bulkLoad keeps version 1 only in
    // `resource`, so the current rows fill in what history lacks.
    const versions = `SELECT id, version_id, last_updated FROM resource_history WHERE resource_type = ${typeParam}
      UNION ALL SELECT id, version_id, last_updated FROM resource r WHERE resource_type = ${typeParam}
        AND NOT EXISTS (SELECT 1 FROM resource_history h WHERE h.resource_type = ${typeParam} AND h.id = r.id AND h.version_id = r.version_id)`;
    const where = [
      ...(page.since ? [`last_updated >= ${params.add(page.since.toISOString())}::timestamptz`] : []),
      ...(page.patient && type === 'Appointment'
        ? [`id IN (SELECT id FROM appointment_search WHERE patient_id = ${params.add(page.patient)})`]
        : []),
    ];
    const filtered = `FROM (${versions}) versions${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
    const [{ total }] = await this.sql.query<{ total: number }>(`SELECT count(*)::int AS total ${filtered}`, [
      ...params.values,
    ]);
    if (page.count === 0) return { total, versions: [] };
    const limit = params.add(page.count);
    const offset = params.add(page.offset);
    const rows = await this.sql.query<{ content: T }>(
      `SELECT coalesce(
         (SELECT content FROM resource_history h WHERE h.resource_type = ${typeParam} AND h.id = page.id AND h.version_id = page.version_id),
         (SELECT content FROM resource r WHERE r.resource_type = ${typeParam} AND r.id = page.id AND r.version_id = page.version_id)
       ) AS content
       FROM (SELECT id, version_id, last_updated ${filtered} ORDER BY last_updated DESC, id, version_id DESC LIMIT ${limit} OFFSET ${offset}) page
       ORDER BY page.last_updated DESC, page.id, page.version_id DESC`,
      params.values,
    );
    return { total, versions: rows.map((row) => row.content) };
  }

  async run<Input, Output>(operation: StoreOperation<Input, Output>, input: Input): Promise<Output> {
    const { output, written, slotChanges } = await this.runRecording(operation, input);
    this.searchCache?.written(written, slotChanges);
    return output;
  }

  /**
   * The operation's output, and what its committed writes changed (for a search cache): the parts of
   * the store, and each slot as it was and is, when every slot written was read first.
   */
  async runRecording<Input, Output>(operation: StoreOperation<Input, Output>, input: Input): Promise<Recorded<Output>> {
    let cached: ReturnType<CommittedRows['over']> | undefined;
    try {
      const result = await this.sql.transaction(async (sql) => {
        cached = this.committedRows?.over(transactionOver(sql));
        const recording = recordingWrites(holdingRows(cached?.tx ?? transactionOver(sql)));
        const output = await operation.run(recording.tx, input);
        return { output, written: [...recording.written], slotChanges: recording.slotChanges() };
      });
      cached?.ended(true);
      return result;
    } catch (error) {
      cached?.ended(false);
      throw storeConflictFrom(error) ?? error;
    }
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
        const chunk = ofType
          .slice(i, i + BULK_CHUNK)
          .map((resource) => withMeta(resource, resource.id as string, 1, now));
        inserted += await this.sql.transaction(async (sql) => {
          const fresh = await sql.query<{ id: string }>(
            `INSERT INTO resource (resource_type, id, version_id, last_updated, content)
             SELECT $1, x.content->>'id', 1, $2, x.content FROM json_array_elements($3::json) AS x(content)
             ON CONFLICT DO NOTHING RETURNING id`,
            [type, now.toISOString(), JSON.stringify(chunk)],
          );
          const freshIds = new Set(fresh.map((row) => row.id));
          const rows = chunk
            .filter((resource) => freshIds.has(resource.id as string))
            .map((resource) => ({ id: resource.id as string, projection: projectionOf(resource) }));
          const params = new Params();
          const parts = projectionInserts(type, rows, params);
          if (parts.length > 0) await sql.query(`WITH ${parts.join(', ')} SELECT 1`, params.values);
          return fresh.length;
        });
        this.searchCache?.written(chunk.flatMap((resource) => partsWritten(resource)));
      }
    }
    // PGlite has no autovacuum, so nothing else would gather the statistics the planner needs
    // to pick index plans once a large load has changed the tables (tens of ms per search otherwise).
    if (inserted >= BULK_CHUNK) await this.sql.query('ANALYZE');
    return inserted;
  }

  async count(type: Resource['resourceType']) {
    const [row] = await this.sql.query<{ total: number }>(
      'SELECT count(*)::int AS total FROM resource WHERE resource_type = $1',
      [type],
    );
    return row.total;
  }

  async has(type: Resource['resourceType']) {
    const [row] = await this.sql.query<{ found: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM resource WHERE resource_type = $1) AS found',
      [type],
    );
    return row.found;
  }

  async lastSlotStartBySchedule() {
    // One index probe per schedule (slot_search_schedule_start), not a pass over every slot: this runs
    // at every start, and a large store has millions of slots. Slots of no stored Schedule are not asked for.
    const rows = await this.sql.query<{ schedule_id: string; last_start: Date | string }>(
      `SELECT schedule_id, last_start FROM (
         SELECT id AS schedule_id, (SELECT max(start_at) FROM slot_search WHERE schedule_id = r.id) AS last_start
         FROM resource r WHERE resource_type = 'Schedule'
       ) per_schedule WHERE last_start IS NOT NULL`,
    );
    return new Map(rows.map((row) => [row.schedule_id, new Date(row.last_start)]));
  }

  async clear() {
    this.searchCache?.forgetAll();
    await this.sql.transaction(async (sql) => {
      await sql.query(
        'TRUNCATE resource, resource_history, search_string, search_token, patient_search, schedule_actor, slot_search, appointment_search, outbox',
      );
    });
    this.searchCache?.forgetAll();
  }

  close() {
    return this.sql.close();
  }
}
