import type { SqlClient } from '../database/sqlClient';

/**
 * Versioned schema changes, applied in order once each. Never edit a released migration: add one.
 * `resource` holds every resource as JSON (the source of truth for reads); the *_search tables are
 * projections kept in step on every write so searches use indexes, and they carry the constraints
 * that make double booking impossible even under concurrent requests.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; description: string; sql: string }> = [
  {
    version: 1,
    description: 'resources, history and search projections',
    sql: `
      CREATE EXTENSION IF NOT EXISTS btree_gist;

      CREATE TABLE resource (
        resource_type text NOT NULL,
        id text NOT NULL,
        version_id integer NOT NULL,
        last_updated timestamptz NOT NULL,
        content json NOT NULL,
        PRIMARY KEY (resource_type, id)
      );

      CREATE TABLE resource_history (
        resource_type text NOT NULL,
        id text NOT NULL,
        version_id integer NOT NULL,
        last_updated timestamptz NOT NULL,
        content json NOT NULL,
        PRIMARY KEY (resource_type, id, version_id)
      );

      -- Normalised words of names (lower case, no diacritics) for prefix search.
      CREATE TABLE search_string (
        resource_type text NOT NULL,
        id text NOT NULL,
        param text NOT NULL,
        value text NOT NULL
      );
      CREATE INDEX search_string_prefix ON search_string (resource_type, param, value text_pattern_ops);
      CREATE INDEX search_string_owner ON search_string (resource_type, id);

      CREATE TABLE search_token (
        resource_type text NOT NULL,
        id text NOT NULL,
        param text NOT NULL,
        system text,
        value text NOT NULL
      );
      CREATE INDEX search_token_value ON search_token (resource_type, param, value, system);
      CREATE INDEX search_token_owner ON search_token (resource_type, id);

      CREATE TABLE patient_search (
        id text PRIMARY KEY,
        birthdate date
      );
      CREATE INDEX patient_search_birthdate ON patient_search (birthdate);

      CREATE TABLE schedule_actor (
        schedule_id text NOT NULL,
        actor_type text NOT NULL,
        actor_id text NOT NULL,
        PRIMARY KEY (schedule_id, actor_type, actor_id)
      );
      CREATE INDEX schedule_actor_actor ON schedule_actor (actor_type, actor_id);

      CREATE TABLE slot_search (
        id text PRIMARY KEY,
        schedule_id text NOT NULL,
        status text NOT NULL,
        start_at timestamptz NOT NULL,
        end_at timestamptz NOT NULL
      );
      CREATE INDEX slot_search_schedule_start ON slot_search (schedule_id, start_at);
      CREATE INDEX slot_search_start ON slot_search (start_at);

      CREATE TABLE appointment_search (
        id text PRIMARY KEY,
        status text NOT NULL,
        patient_id text,
        practitioner_id text,
        location_id text,
        slot_id text,
        start_at timestamptz,
        end_at timestamptz,
        CONSTRAINT practitioner_not_double_booked EXCLUDE USING gist (
          practitioner_id WITH =,
          tstzrange(start_at, end_at) WITH &&
        ) WHERE (status = 'booked')
      );
      CREATE UNIQUE INDEX slot_booked_once ON appointment_search (slot_id) WHERE status = 'booked';
      CREATE INDEX appointment_search_patient ON appointment_search (patient_id, start_at);
      CREATE INDEX appointment_search_practitioner ON appointment_search (practitioner_id, start_at);
    `,
  },
  {
    version: 2,
    description: 'SMART on FHIR sign-in: staff accounts, patient portal codes, signing key, grants',
    sql: `
      CREATE TABLE auth_account (
        username text PRIMARY KEY,
        display_name text NOT NULL,
        role text NOT NULL CHECK (role IN ('staff')),
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE patient_portal_code (
        patient_id text PRIMARY KEY,
        code_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE auth_signing_key (
        kid text PRIMARY KEY,
        private_jwk json NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- Authorization codes, refresh tokens, sign-in sessions and launch contexts, by token digest.
      CREATE TABLE auth_grant (
        kind text NOT NULL,
        token_hash text NOT NULL,
        data json NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (kind, token_hash)
      );
      CREATE INDEX auth_grant_expiry ON auth_grant (expires_at);
    `,
  },
  {
    version: 3,
    description:
      'Token families and sessions (revoked together), spent grants kept to detect replay, sign-in throttling',
    sql: `
      -- A code and the refresh tokens it led to are one family; all of a sign-in session's grants share its digest.
      ALTER TABLE auth_grant ADD COLUMN family text;
      ALTER TABLE auth_grant ADD COLUMN session_hash text;
      -- Set when a single-use grant is spent; the row stays (until it expires) so a replay is recognised.
      ALTER TABLE auth_grant ADD COLUMN used_at timestamptz;
      CREATE INDEX auth_grant_family ON auth_grant (family) WHERE family IS NOT NULL;
      CREATE INDEX auth_grant_session ON auth_grant (session_hash) WHERE session_hash IS NOT NULL;

      -- Failed sign-ins per client address, account and known device, shared by every server on the database.
      CREATE TABLE auth_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL,
        last_failure_at timestamptz NOT NULL
      );
      CREATE INDEX auth_throttle_last_failure ON auth_throttle (last_failure_at);
    `,
  },
  {
    version: 4,
    description: 'a patient is never booked at overlapping times, with anyone',
    // Bookings that already overlap (made before this rule) are let be: an exclusion constraint
    // cannot be added NOT VALID, and cancelling them here would be worse. Of each overlapping group
    // the first (by id) stays guarded, so a new booking over it is still refused by the database.
    sql: `
      ALTER TABLE appointment_search ADD COLUMN patient_overlap_allowed boolean NOT NULL DEFAULT false;

      UPDATE appointment_search a SET patient_overlap_allowed = true
      WHERE a.status = 'booked' AND a.patient_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM appointment_search o WHERE o.id < a.id AND o.patient_id = a.patient_id AND o.status = 'booked'
        AND tstzrange(o.start_at, o.end_at) && tstzrange(a.start_at, a.end_at)
      );

      ALTER TABLE appointment_search ADD CONSTRAINT patient_not_double_booked EXCLUDE USING gist (
        patient_id WITH =,
        tstzrange(start_at, end_at) WITH &&
      ) WHERE (status = 'booked' AND NOT patient_overlap_allowed);
    `,
  },
  {
    version: 5,
    description: 'transactional outbox: the emails an appointment write sends, queued in the same transaction',
    // One row per message. recipient NULL is a record that the patient had no email address (never sent).
    // A sender claims a due row by setting lease_until and claim_token in one statement (FOR UPDATE SKIP
    // LOCKED, so replicas never claim one row together); only the holder of the claim marks it sent.
    sql: `
      CREATE TABLE outbox (
        id text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('booked', 'rescheduled', 'cancelled', 'reminder')),
        appointment_id text NOT NULL,
        patient_id text NOT NULL,
        recipient text,
        subject text NOT NULL,
        text_body text NOT NULL,
        html_body text NOT NULL,
        calendar json,
        appointment_start timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        not_before timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'withdrawn', 'no-address')),
        status_reason text,
        attempts integer NOT NULL DEFAULT 0,
        lease_until timestamptz,
        claim_token text,
        message_id text,
        sent_at timestamptz,
        last_error text
      );
      CREATE INDEX outbox_due ON outbox (not_before, id) WHERE status = 'pending';
      CREATE INDEX outbox_appointment ON outbox (appointment_id);
      CREATE INDEX outbox_patient ON outbox (patient_id, created_at);
    `,
  },
  {
    version: 6,
    description: "staff accounts' FHIR record: the Practitioner a staff token names as fhirUser",
    // A relative reference (Practitioner/<id>); NULL for an account not linked to a record yet.
    sql: `ALTER TABLE auth_account ADD COLUMN fhir_user text;`,
  },
  {
    version: 7,
    description: 'name words by their start with apostrophes left out, the one form a name search asks for',
    // searchSql.ts asks replace(value, '''', '') LIKE 'word%': an index range on this expression.
    // The index on the words as written served the search that asked for both forms; nothing else reads it.
    sql: `
      CREATE INDEX search_string_bare_prefix ON search_string
        (resource_type, param, (replace(value, '''', '')) text_pattern_ops);
      DROP INDEX search_string_prefix;
    `,
  },
  {
    version: 8,
    description: 'name words with their ids beside them, so a name search reads the index alone',
    // The same key as migration 7's, with what a name search reads from each row: its id, and the
    // word as written (the LIKE is rechecked on replace(value, ...), and PostgreSQL takes the index
    // for an index-only scan only when it holds every column the query names). A prefix's words
    // then sit together in a few index pages, where the rows were up to one page each (over 700
    // pages for "james" in a store of 50,000 patients, most of them cold).
    sql: `
      CREATE INDEX search_string_words ON search_string
        (resource_type, param, (replace(value, '''', '')) text_pattern_ops) INCLUDE (id, value);
      DROP INDEX search_string_bare_prefix;
    `,
  },
  {
    version: 9,
    description: "an appointment's reminders not yet sent, the rows a cancellation or a move withdraws",
    // Tiny (one row per future booking) and exactly the statement's condition: without statistics (PGlite
    // has no autovacuum) the planner otherwise walked every pending message through outbox_due, 1 ms a cancel.
    sql: `CREATE INDEX outbox_pending_reminder ON outbox (appointment_id) WHERE kind = 'reminder' AND status = 'pending';`,
  },
];

/**
 * The advisory lock key migrations hold (any constant; this one spells "nzappt"): servers starting
 * together on one PostgreSQL take turns, so each migration runs once and no server reads a
 * half-made schema. PGlite has one process anyway (the data directory's lock), and takes it too.
 */
const MIGRATION_LOCK = 0x6e7a61707074;

/**
 * Applies what is missing, all in one transaction that first takes the migration lock: a second
 * server waits there, then finds everything applied. A migration that fails leaves nothing behind.
 */
export async function migrate(sql: SqlClient): Promise<void> {
  await sql.transaction(async (tx) => {
    // Waiting for another server's migrations is not a slow statement: the timeout is off for the wait only.
    const [{ timeout }] = await tx.query<{ timeout: string }>(
      "SELECT current_setting('statement_timeout') AS timeout, set_config('statement_timeout', '0', true)",
    );
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query("SELECT set_config('statement_timeout', $1, true)", [timeout]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migration (
      version integer PRIMARY KEY,
      description text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const applied = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM schema_migration')).map((row) => row.version),
    );
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.sql
        .split(/;\s*\n/)
        .map((s) => s.trim())
        .filter(Boolean)) {
        await tx.query(statement);
      }
      await tx.query('INSERT INTO schema_migration (version, description) VALUES ($1, $2)', [
        migration.version,
        migration.description,
      ]);
    }
  });
}
