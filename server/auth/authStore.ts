/**
 * What sign-in keeps in the database beside the FHIR resources: staff accounts, patients' portal
 * codes, the token signing key (so tokens outlive a restart) and short-lived grants (authorization
 * codes, refresh tokens, sign-in sessions, launch contexts, known devices), each stored by the digest
 * of its token, and the failed sign-ins that slow the next ones down.
 */
import type { SqlClient } from '../database/sqlClient';

export type GrantKind = 'code' | 'refresh' | 'session' | 'launch' | 'device';

/** What a grant belongs to, so it can be revoked with the rest: its token family and its sign-in session. */
export interface GrantLinks {
  family?: string;
  session?: string;
}

/** Spending a single-use grant: the grant, or what a second use of a spent one belonged to. */
export type SpentGrant<T> =
  { kind: 'spent'; grant: StoredGrant<T> } | { kind: 'replayed'; family: string | undefined } | undefined;

export interface StaffAccount {
  username: string;
  displayName: string;
  passwordHash: string;
  /** The staff member's own FHIR record (`Practitioner/<id>`): what their tokens name as fhirUser. */
  fhirUser?: string;
}

export interface StoredGrant<T> {
  data: T;
  expiresAt: Date;
  links: GrantLinks;
  /** Whether a single-use grant has been spent already. */
  used: boolean;
}

export interface AuthStore {
  findAccount(username: string): Promise<StaffAccount | undefined>;
  saveAccount(account: StaffAccount): Promise<void>;
  /** Links an account to its FHIR record (a relative reference). */
  linkFhirUser(username: string, reference: string): Promise<void>;
  countAccounts(): Promise<number>;
  portalCodeHash(patientId: string): Promise<string | undefined>;
  savePortalCode(patientId: string, codeHash: string): Promise<void>;
  countPortalCodes(): Promise<number>;
  /** The signing keys (private JWKs), oldest first; `create` makes the first one when there is none. */
  signingKeys(create: () => Promise<{ kid: string; jwk: object }>): Promise<Array<{ kid: string; jwk: object }>>;
  putGrant(
    kind: GrantKind,
    digest: string,
    data: object,
    expiresAt: Date,
    now: Date,
    links?: GrantLinks,
  ): Promise<void>;
  /** Removes the grant and returns it, so a single-use grant can be used once however many ask at once. */
  takeGrant<T>(kind: GrantKind, digest: string): Promise<StoredGrant<T> | undefined>;
  /**
   * Marks a single-use grant spent and returns it (once, however many ask at once). A grant spent
   * before comes back as `replayed` with its family; the spent row is kept until `keepUntil`.
   */
  spendGrant<T>(kind: GrantKind, digest: string, now: Date, keepUntil: Date): Promise<SpentGrant<T>>;
  peekGrant<T>(kind: GrantKind, digest: string): Promise<StoredGrant<T> | undefined>;
  /** Forgets every grant of a token family (a code and the refresh tokens it led to). */
  revokeFamily(family: string): Promise<void>;
  /** Forgets a sign-in session and every code and refresh token issued under it. */
  revokeSession(sessionDigest: string): Promise<void>;
  /** Counts a failed sign-in under each key; returns the failures now counted for each (a window of quiet starts afresh). */
  countFailure(
    keys: string[],
    now: Date,
    forgetAfter: Date,
  ): Promise<Map<string, { failures: number; lastFailureAt: Date }>>;
  /** The failures counted under each key since `since`. */
  failures(keys: string[], since: Date): Promise<Map<string, { failures: number; lastFailureAt: Date }>>;
  forgetFailures(keys: string[]): Promise<void>;
  /** Forgets accounts, portal codes and grants (the signing key stays), for a fresh demo. */
  clear(): Promise<void>;
}

interface GrantRow<T> {
  data: T;
  expires_at: Date | string;
  family: string | null;
  session_hash: string | null;
  used_at: Date | string | null;
}

function storedGrant<T>(row: GrantRow<T>): StoredGrant<T> {
  return {
    data: row.data,
    expiresAt: new Date(row.expires_at),
    links: {
      ...(row.family ? { family: row.family } : {}),
      ...(row.session_hash ? { session: row.session_hash } : {}),
    },
    used: row.used_at !== null,
  };
}

interface FailureRow {
  key: string;
  failures: number;
  last_failure_at: Date | string;
}

function failureMap(rows: FailureRow[]): Map<string, { failures: number; lastFailureAt: Date }> {
  return new Map(
    rows.map((row) => [row.key, { failures: row.failures, lastFailureAt: new Date(row.last_failure_at) }]),
  );
}

export class SqlAuthStore implements AuthStore {
  constructor(private readonly sql: SqlClient) {}

  async findAccount(username: string) {
    const rows = await this.sql.query<{
      username: string;
      display_name: string;
      password_hash: string;
      fhir_user: string | null;
    }>('SELECT username, display_name, password_hash, fhir_user FROM auth_account WHERE username = $1', [
      username.toLowerCase(),
    ]);
    const row = rows[0];
    return (
      row && {
        username: row.username,
        displayName: row.display_name,
        passwordHash: row.password_hash,
        ...(row.fhir_user ? { fhirUser: row.fhir_user } : {}),
      }
    );
  }

  async saveAccount(account: StaffAccount) {
    await this.sql.query(
      `INSERT INTO auth_account (username, display_name, role, password_hash, fhir_user) VALUES ($1, $2, 'staff', $3, $4)
       ON CONFLICT (username) DO UPDATE SET display_name = excluded.display_name, password_hash = excluded.password_hash,
         fhir_user = excluded.fhir_user`,
      [account.username.toLowerCase(), account.displayName, account.passwordHash, account.fhirUser ?? null],
    );
  }

  async linkFhirUser(username: string, reference: string) {
    await this.sql.query('UPDATE auth_account SET fhir_user = $2 WHERE username = $1', [
      username.toLowerCase(),
      reference,
    ]);
  }

  async countAccounts() {
    return (await this.sql.query<{ total: number }>('SELECT count(*)::int AS total FROM auth_account'))[0].total;
  }

  async portalCodeHash(patientId: string) {
    return (
      await this.sql.query<{ code_hash: string }>('SELECT code_hash FROM patient_portal_code WHERE patient_id = $1', [
        patientId,
      ])
    )[0]?.code_hash;
  }

  async savePortalCode(patientId: string, codeHash: string) {
    await this.sql.query(
      'INSERT INTO patient_portal_code (patient_id, code_hash) VALUES ($1, $2) ON CONFLICT (patient_id) DO UPDATE SET code_hash = excluded.code_hash',
      [patientId, codeHash],
    );
  }

  async countPortalCodes() {
    return (await this.sql.query<{ total: number }>('SELECT count(*)::int AS total FROM patient_portal_code'))[0].total;
  }

  async signingKeys(create: () => Promise<{ kid: string; jwk: object }>) {
    const read = () =>
      this.sql.query<{ kid: string; private_jwk: object }>(
        'SELECT kid, private_jwk FROM auth_signing_key ORDER BY created_at, kid',
      );
    let rows = await read();
    if (rows.length === 0) {
      const made = await create();
      // Two servers starting at once on one PostgreSQL may both insert; both then use the oldest.
      await this.sql.query(
        'INSERT INTO auth_signing_key (kid, private_jwk) VALUES ($1, $2::json) ON CONFLICT DO NOTHING',
        [made.kid, JSON.stringify(made.jwk)],
      );
      rows = await read();
    }
    return rows.map((row) => ({ kid: row.kid, jwk: row.private_jwk }));
  }

  async putGrant(kind: GrantKind, digest: string, data: object, expiresAt: Date, now: Date, links: GrantLinks = {}) {
    await this.sql.query('DELETE FROM auth_grant WHERE expires_at < $1', [now.toISOString()]);
    await this.sql.query(
      'INSERT INTO auth_grant (kind, token_hash, data, expires_at, family, session_hash) VALUES ($1, $2, $3::json, $4, $5, $6)',
      [kind, digest, JSON.stringify(data), expiresAt.toISOString(), links.family ?? null, links.session ?? null],
    );
  }

  async takeGrant<T>(kind: GrantKind, digest: string) {
    const rows = await this.sql.query<GrantRow<T>>(
      'DELETE FROM auth_grant WHERE kind = $1 AND token_hash = $2 RETURNING data, expires_at, family, session_hash, used_at',
      [kind, digest],
    );
    return rows[0] && storedGrant(rows[0]);
  }

  async spendGrant<T>(kind: GrantKind, digest: string, now: Date, keepUntil: Date): Promise<SpentGrant<T>> {
    // One UPDATE: of two requests racing with one grant, exactly one sees it unspent.
    const spent = await this.sql.query<GrantRow<T>>(
      `UPDATE auth_grant g SET used_at = $3, expires_at = greatest(g.expires_at, $4::timestamptz)
       FROM (SELECT expires_at FROM auth_grant WHERE kind = $1 AND token_hash = $2) before
       WHERE g.kind = $1 AND g.token_hash = $2 AND g.used_at IS NULL
       RETURNING g.data, before.expires_at, g.family, g.session_hash, g.used_at`,
      [kind, digest, now.toISOString(), keepUntil.toISOString()],
    );
    if (spent[0]) return { kind: 'spent', grant: { ...storedGrant(spent[0]), used: false } };
    const before = await this.peekGrant<T>(kind, digest);
    return before ? { kind: 'replayed', family: before.links.family } : undefined;
  }

  async peekGrant<T>(kind: GrantKind, digest: string) {
    const rows = await this.sql.query<GrantRow<T>>(
      'SELECT data, expires_at, family, session_hash, used_at FROM auth_grant WHERE kind = $1 AND token_hash = $2',
      [kind, digest],
    );
    return rows[0] && storedGrant(rows[0]);
  }

  async revokeFamily(family: string) {
    await this.sql.query('DELETE FROM auth_grant WHERE family = $1', [family]);
  }

  async revokeSession(sessionDigest: string) {
    await this.sql.query("DELETE FROM auth_grant WHERE session_hash = $1 OR (kind = 'session' AND token_hash = $1)", [
      sessionDigest,
    ]);
  }

  async countFailure(keys: string[], now: Date, forgetAfter: Date) {
    // A key quiet since forgetAfter starts again at one.
    const rows = await this.sql.query<FailureRow>(
      `INSERT INTO auth_throttle (key, failures, last_failure_at) SELECT unnest($1::text[]), 1, $2
       ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN auth_throttle.last_failure_at < $3 THEN 1 ELSE auth_throttle.failures + 1 END, last_failure_at = $2
       RETURNING key, failures, last_failure_at`,
      [keys, now.toISOString(), forgetAfter.toISOString()],
    );
    return failureMap(rows);
  }

  async failures(keys: string[], since: Date) {
    return failureMap(
      await this.sql.query<FailureRow>(
        'SELECT key, failures, last_failure_at FROM auth_throttle WHERE key = ANY($1) AND last_failure_at >= $2',
        [keys, since.toISOString()],
      ),
    );
  }

  async forgetFailures(keys: string[]) {
    await this.sql.query('DELETE FROM auth_throttle WHERE key = ANY($1)', [keys]);
  }

  async clear() {
    await this.sql.transaction(async (tx) => {
      await tx.query('TRUNCATE auth_account, patient_portal_code, auth_grant, auth_throttle');
    });
  }
}
