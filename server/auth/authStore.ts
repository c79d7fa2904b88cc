/**
 * What sign-in keeps in the database beside the FHIR resources: staff accounts, patients' portal
 * codes, the token signing key (so tokens outlive a restart) and short-lived grants (authorization
 * codes, refresh tokens, sign-in sessions, launch contexts), each stored by the digest of its token.
 */
import type { SqlClient } from '../database/sqlClient';

export type GrantKind = 'code' | 'refresh' | 'session' | 'launch';

export interface StaffAccount {
  username: string;
  displayName: string;
  passwordHash: string;
}

export interface StoredGrant<T> {
  data: T;
  expiresAt: Date;
}

export interface AuthStore {
  findAccount(username: string): Promise<StaffAccount | undefined>;
  saveAccount(account: StaffAccount): Promise<void>;
  countAccounts(): Promise<number>;
  portalCodeHash(patientId: string): Promise<string | undefined>;
  savePortalCode(patientId: string, codeHash: string): Promise<void>;
  countPortalCodes(): Promise<number>;
  /** The signing keys (private JWKs), oldest first; `create` makes the first one when there is none. */
  signingKeys(create: () => Promise<{ kid: string; jwk: object }>): Promise<Array<{ kid: string; jwk: object }>>;
  putGrant(kind: GrantKind, digest: string, data: object, expiresAt: Date, now: Date): Promise<void>;
  /** Removes the grant and returns it, so a single-use grant can be used once however many ask at once. */
  takeGrant<T>(kind: GrantKind, digest: string): Promise<StoredGrant<T> | undefined>;
  peekGrant<T>(kind: GrantKind, digest: string): Promise<StoredGrant<T> | undefined>;
  /** Forgets accounts, portal codes and grants (the signing key stays), for a fresh demo. */
  clear(): Promise<void>;
}

export class SqlAuthStore implements AuthStore {
  constructor(private readonly sql: SqlClient) {}

  async findAccount(username: string) {
    const rows = await this.sql.query<{ username: string; display_name: string; password_hash: string }>(
      'SELECT username, display_name, password_hash FROM auth_account WHERE username = $1',
      [username.toLowerCase()],
    );
    return rows[0] && { username: rows[0].username, displayName: rows[0].display_name, passwordHash: rows[0].password_hash };
  }

  async saveAccount(account: StaffAccount) {
    await this.sql.query(
      `INSERT INTO auth_account (username, display_name, role, password_hash) VALUES ($1, $2, 'staff', $3)
       ON CONFLICT (username) DO UPDATE SET display_name = excluded.display_name, password_hash = excluded.password_hash`,
      [account.username.toLowerCase(), account.displayName, account.passwordHash],
    );
  }

  async countAccounts() {
    return (await this.sql.query<{ total: number }>('SELECT count(*)::int AS total FROM auth_account'))[0].total;
  }

  async portalCodeHash(patientId: string) {
    return (await this.sql.query<{ code_hash: string }>('SELECT code_hash FROM patient_portal_code WHERE patient_id = $1', [patientId]))[0]?.code_hash;
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
    const read = () => this.sql.query<{ kid: string; private_jwk: object }>('SELECT kid, private_jwk FROM auth_signing_key ORDER BY created_at, kid');
    let rows = await read();
    if (rows.length === 0) {
      const made = await create();
      // Two servers starting at once on one PostgreSQL may both insert; both then use the oldest.
      await this.sql.query('INSERT INTO auth_signing_key (kid, private_jwk) VALUES ($1, $2::json) ON CONFLICT DO NOTHING', [made.kid, JSON.stringify(made.jwk)]);
      rows = await read();
    }
    return rows.map((row) => ({ kid: row.kid, jwk: row.private_jwk }));
  }

  async putGrant(kind: GrantKind, digest: string, data: object, expiresAt: Date, now: Date) {
    await this.sql.query('DELETE FROM auth_grant WHERE expires_at < $1', [now.toISOString()]);
    await this.sql.query('INSERT INTO auth_grant (kind, token_hash, data, expires_at) VALUES ($1, $2, $3::json, $4)', [kind, digest, JSON.stringify(data), expiresAt.toISOString()]);
  }

  async takeGrant<T>(kind: GrantKind, digest: string) {
    const rows = await this.sql.query<{ data: T; expires_at: Date | string }>('DELETE FROM auth_grant WHERE kind = $1 AND token_hash = $2 RETURNING data, expires_at', [kind, digest]);
    return rows[0] && { data: rows[0].data, expiresAt: new Date(rows[0].expires_at) };
  }

  async peekGrant<T>(kind: GrantKind, digest: string) {
    const rows = await this.sql.query<{ data: T; expires_at: Date | string }>('SELECT data, expires_at FROM auth_grant WHERE kind = $1 AND token_hash = $2', [kind, digest]);
    return rows[0] && { data: rows[0].data, expiresAt: new Date(rows[0].expires_at) };
  }

  async clear() {
    await this.sql.transaction(async (tx) => {
      await tx.query('TRUNCATE auth_account, patient_portal_code, auth_grant');
    });
  }
}
