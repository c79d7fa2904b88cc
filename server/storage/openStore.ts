import { join, resolve } from 'node:path';
import type { FhirStore } from './fhirStore';
import type { SqlClient } from '../database/sqlClient';
import { SqlFhirStore } from './sqlFhirStore';
import { openPostgres, statementTimeoutMs } from '../database/postgresClient';
import { lockDataDir } from '../database/dataDirLock';
import { DEFAULT_RESTART_WAIT_MS, openPgliteWorker } from './workerStore';

export interface StoreConfig {
  /** A PostgreSQL connection string; when set, PGlite is not used. */
  databaseUrl?: string;
  /** Where the embedded PGlite keeps its files; `:memory:` keeps nothing. */
  dataDir: string;
}

export interface OpenedStore {
  store: FhirStore;
  /** The same database, for what lives beside the resources (sign-in accounts, keys, grants). */
  sql: SqlClient;
  description: string;
  /**
   * Runs start-up work that must happen once however many servers start together (demo data, demo
   * accounts, the signing key): on PostgreSQL behind a lock every server shares; PGlite has only
   * one server per data directory, so it just runs.
   */
  settingUp<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The advisory lock key of start-up set-up (any constant distinct from the migrations' one). */
const SET_UP_LOCK = 0x6e7a73657475;

const unshared = <T>(work: () => Promise<T>) => work();

export async function openStore(config: StoreConfig): Promise<OpenedStore> {
  if (config.databaseUrl) {
    const sql = await openPostgres(config.databaseUrl);
    const store = await SqlFhirStore.open(sql);
    return {
      store,
      sql,
      description: 'PostgreSQL (DATABASE_URL)',
      settingUp: (work) => sql.exclusively(SET_UP_LOCK, work),
      close: () => store.close(),
    };
  }
  if (config.dataDir === ':memory:') {
    const { sql, store } = await openPgliteWorker(undefined);
    return { store, sql, description: 'PGlite in memory', settingUp: unshared, close: () => store.close() };
  }
  const dataDir = resolve(config.dataDir);
  const unlock = lockDataDir(dataDir);
  try {
    // The same statement timeout as PostgreSQL's; in memory there is nothing a new worker could recover.
    const { sql, store } = await openPgliteWorker(join(dataDir, 'pgdata'), {
      statementTimeoutMs: statementTimeoutMs(),
      restartWaitMs: DEFAULT_RESTART_WAIT_MS,
    });
    return {
      store,
      sql,
      description: `PGlite in ${dataDir}`,
      settingUp: unshared,
      async close() {
        await store.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}
