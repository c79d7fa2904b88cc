/**
 * PGlite in its own worker thread (storeWorker.ts), seen from the server's thread as the same
 * SqlClient and FhirStore. PGlite's WebAssembly was half the server's CPU on the request thread.
 */
import { Worker } from 'node:worker_threads';
import { FhirError } from '../core/fhirError';
import type { SqlClient, SqlExecutor } from '../database/sqlClient';
import { SqlFhirStore } from './sqlFhirStore';
import { StoreConflict, type ConflictKind } from './storeConflict';
import type { StoreOperation } from './storeOperation';
import type { CrossedError, StoreReply, StoreRequest, StoreWorkerStarted } from './storeWorker';

function rebuilt(error: CrossedError): Error {
  if (error.name === 'StoreConflict') return new StoreConflict(error.kind as ConflictKind, error.constraint);
  if (error.status !== undefined && error.issues) return new FhirError(error.status, error.issues as FhirError['issues']);
  return Object.assign(new Error(error.message), error.code === undefined ? {} : { code: error.code });
}

/** The worker loads the same TypeScript sources as this thread, through tsx (see its entry). */
function startWorker(dataDir: string | undefined): Worker {
  return new Worker(new URL('./storeWorkerEntry.mjs', import.meta.url), { workerData: { dataDir } });
}

class WorkerConnection {
  private lastId = 0;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  private stopped: Error | undefined;

  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: StoreReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) waiting?.resolve(reply.result);
      else waiting?.reject(rebuilt(reply.error));
    });
    // A worker that has died answers nothing: what waits on it, and whatever asks later, fails.
    const failAll = (error: Error) => {
      this.stopped ??= error;
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`The database's worker thread stopped (exit code ${code}).`)));
  }

  call<T>(request: StoreRequest): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = ++this.lastId;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.worker.postMessage({ id, request });
    });
  }

  async close(): Promise<void> {
    try {
      await this.call({ op: 'close' });
    } finally {
      await this.worker.terminate();
    }
  }
}

function sqlClientOver(connection: WorkerConnection): SqlClient {
  return {
    query: <Row>(sql: string, params: unknown[] = []) => connection.call<Row[]>({ op: 'query', sql, params }),
    // Statement by statement, each a round trip while the worker holds the connection: for the
    // rare callers (auth's clear); the services' transactions go whole, as store operations.
    async transaction(callback) {
      const tx = await connection.call<number>({ op: 'begin' });
      const executor: SqlExecutor = { query: <Row>(sql: string, params: unknown[] = []) => connection.call<Row[]>({ op: 'txQuery', tx, sql, params }) };
      let result;
      try {
        result = await callback(executor);
      } catch (error) {
        await connection.call({ op: 'end', tx, commit: false });
        throw error;
      }
      await connection.call({ op: 'end', tx, commit: true });
      return result;
    },
    close: () => connection.close(),
  };
}

class WorkerFhirStore extends SqlFhirStore {
  constructor(
    sql: SqlClient,
    private readonly connection: WorkerConnection,
  ) {
    super(sql);
  }

  /** The worker loads the operation's module by its key and runs it beside the database. */
  override run<Input, Output>(operation: StoreOperation<Input, Output>, input: Input) {
    return this.connection.call<Output>({ op: 'run', key: operation.key, input });
  }
}

/** PGlite in a worker thread, on disk in `dataDir` or in memory when undefined, its schema up to date. */
export async function openPgliteWorker(dataDir: string | undefined): Promise<{ sql: SqlClient; store: SqlFhirStore }> {
  const worker = startWorker(dataDir);
  const stopped = (code: number) => new Error(`The database's worker thread stopped while opening (exit code ${code}).`);
  let onStarted: (started: StoreWorkerStarted) => void = () => undefined;
  let onError: (error: Error) => void = () => undefined;
  let onExit: (code: number) => void = () => undefined;
  try {
    const started = await new Promise<StoreWorkerStarted>((resolve, reject) => {
      [onStarted, onError, onExit] = [resolve, reject, (code) => reject(stopped(code))];
      worker.once('message', onStarted).once('error', onError).once('exit', onExit);
    });
    if (!started.ready) throw rebuilt(started.error);
  } catch (error) {
    await worker.terminate();
    throw error;
  } finally {
    worker.off('message', onStarted).off('error', onError).off('exit', onExit);
  }
  const connection = new WorkerConnection(worker);
  const sql = sqlClientOver(connection);
  return { sql, store: new WorkerFhirStore(sql, connection) };
}
