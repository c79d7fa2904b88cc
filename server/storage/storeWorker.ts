/**
 * The worker thread PGlite runs in, so the database's WebAssembly and the server's HTTP and JSON
 * work use a core each. It answers single statements, statement-by-statement transactions (for the
 * rare callers that need one) and the services' store operations whole, which run here beside the
 * database so its single connection is never held across a round trip between threads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openPglite } from '../database/pgliteClient';
import type { SqlExecutor } from '../database/sqlClient';
import { CommittedRows } from './committedRows';
import { SqlFhirStore } from './sqlFhirStore';
import { StoreConflict } from './storeConflict';
import { loadStoreOperation } from './storeOperation';

export type StoreRequest =
  | { op: 'query'; sql: string; params: unknown[] }
  | { op: 'begin' }
  | { op: 'txQuery'; tx: number; sql: string; params: unknown[] }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'run'; key: string; input: unknown }
  | { op: 'close' };

/** What an error keeps across threads: the fields the layers above answer from. */
export interface CrossedError {
  name?: string;
  message: string;
  code?: string;
  /** A FhirError's. */
  status?: number;
  issues?: unknown[];
  /** A StoreConflict's. */
  kind?: string;
  constraint?: string;
}

export type StoreReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: CrossedError };

export type StoreWorkerStarted = { ready: true } | { ready: false; error: CrossedError };

function crossed(error: unknown): CrossedError {
  if (error instanceof StoreConflict)
    return { name: error.name, message: error.message, kind: error.kind, constraint: error.constraint };
  const { message, code, status, issues } = (error ?? {}) as {
    message?: unknown;
    code?: unknown;
    status?: unknown;
    issues?: unknown;
  };
  return {
    message: typeof message === 'string' ? message : String(error),
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof status === 'number' && Array.isArray(issues) ? { status, issues } : {}),
  };
}

/** Thrown inside a statement-by-statement transaction its caller ended without committing. */
const NOT_COMMITTED = Symbol('not committed');

async function serve(port: NonNullable<typeof parentPort>, dataDir: string | undefined): Promise<void> {
  const sql = await openPglite(dataDir);
  // Store transactions run one at a time here, and write every resource but a raw transaction's (below).
  const committedRows = new CommittedRows();
  const store = await SqlFhirStore.open(sql, committedRows);
  const open = new Map<number, { tx: SqlExecutor; decide: (commit: boolean) => void; settled: Promise<void> }>();
  let lastTx = 0;

  const begin = () =>
    new Promise<number>((began, failed) => {
      const id = ++lastTx;
      let decide: (commit: boolean) => void = () => undefined;
      const decided = new Promise<boolean>((resolve) => (decide = resolve));
      const settled = sql.transaction(async (tx) => {
        open.set(id, { tx, decide, settled });
        began(id);
        if (!(await decided)) throw NOT_COMMITTED;
      });
      settled.catch((error: unknown) => {
        if (!open.has(id)) failed(error);
      });
    });

  async function end(id: number, commit: boolean): Promise<void> {
    const transaction = open.get(id);
    if (!transaction) throw new Error(`No open transaction ${id}.`);
    open.delete(id);
    transaction.decide(commit);
    try {
      await transaction.settled.catch((error: unknown) => {
        if (error !== NOT_COMMITTED) throw error;
      });
    } finally {
      // A bulk load or a reset: whatever it wrote, the cache's versions may no longer be the committed ones.
      committedRows.forgetAll();
    }
  }

  function txOf(id: number): SqlExecutor {
    const transaction = open.get(id)?.tx;
    if (!transaction) throw new Error(`No open transaction ${id}.`);
    return transaction;
  }

  const handle = async (request: StoreRequest): Promise<unknown> => {
    switch (request.op) {
      case 'query':
        return sql.query(request.sql, request.params);
      case 'begin':
        return begin();
      case 'txQuery':
        return txOf(request.tx).query(request.sql, request.params);
      case 'end':
        return end(request.tx, request.commit);
      case 'run':
        return store.runRecording(await loadStoreOperation(request.key), request.input);
      case 'close':
        return store.close();
    }
  };

  port.on('message', ({ id, request }: { id: number; request: StoreRequest }) => {
    handle(request).then(
      (result) => port.postMessage({ id, ok: true, result } satisfies StoreReply),
      (error: unknown) => port.postMessage({ id, ok: false, error: crossed(error) } satisfies StoreReply),
    );
  });
}

if (parentPort) {
  const port = parentPort;
  serve(port, (workerData as { dataDir?: string }).dataDir).then(
    () => port.postMessage({ ready: true } satisfies StoreWorkerStarted),
    (error: unknown) => port.postMessage({ ready: false, error: crossed(error) } satisfies StoreWorkerStarted),
  );
}
