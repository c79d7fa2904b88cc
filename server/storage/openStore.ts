import { join, resolve } from 'node:path';
import type { FhirStore } from './fhirStore';
import { SqlFhirStore } from './sqlFhirStore';
import { openPglite } from './pgliteClient';
import { openPostgres } from './postgresClient';
import { lockDataDir } from './dataDirLock';

export interface StoreConfig {
  /** A PostgreSQL connection string; when set, PGlite is not used. */
  databaseUrl?: string;
  /** Where the embedded PGlite keeps its files; `:memory:` keeps nothing. */
  dataDir: string;
}

export interface OpenedStore {
  store: FhirStore;
  description: string;
  close(): Promise<void>;
}

export async function openStore(config: StoreConfig): Promise<OpenedStore> {
  if (config.databaseUrl) {
    const store = await SqlFhirStore.open(await openPostgres(config.databaseUrl));
    return { store, description: 'PostgreSQL (DATABASE_URL)', close: () => store.close() };
  }
  if (config.dataDir === ':memory:') {
    const store = await SqlFhirStore.open(await openPglite(undefined));
    return { store, description: 'PGlite in memory', close: () => store.close() };
  }
  const dataDir = resolve(config.dataDir);
  const unlock = lockDataDir(dataDir);
  try {
    const store = await SqlFhirStore.open(await openPglite(join(dataDir, 'pgdata')));
    return {
      store,
      description: `PGlite in ${dataDir}`,
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
