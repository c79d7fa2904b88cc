/**
 * PGlite in its own worker thread (storeWorker.ts), seen from the server's thread as the same
 * SqlClient and FhirStore. PGlite's WebAssembly was half the server's CPU on the request thread.
 */
import { Worker } from 'node:worker_threads';
import type { Resource } from 'fhir/r4';
import { FhirError } from '../core/fhirError';
import { PG_QUERY_CANCELED, type SqlClient, type SqlExecutor } from '../database/sqlClient';
import { DEFAULT_STATEMENT_TIMEOUT_MS } from '../database/postgresClient';
import type { SearchSpec } from './searchSpec';
import { IdleMaintenance } from './idleMaintenance';
import { SearchCache } from './searchCache';
import { SqlFhirStore, type Recorded } from './sqlFhirStore';
import { StoreConflict, type ConflictKind } from './storeConflict';
import type { StoreOperation } from './storeOperation';
import type { CrossedError, StoreReply, StoreRequest, StoreWorkerStarted } from './storeWorker';

function rebuilt(error: CrossedError): Error {
  if (error.name === 'StoreConflict') return new StoreConflict(error.kind as ConflictKind, error.constraint);
  if (error.status !== undefined && error.issues)
    return new FhirError(error.status, error.issues as FhirError['issues']);
  return Object.assign(new Error(error.message), error.code === undefined ? {} : { code: error.code });
}

/** A pass of vacuuming and analysing after this many committed writes, a table each quiet period (see idleMaintenance.ts). */
const MAINTENANCE = { afterWrites: 1_000, periodMs: 2_000, quietCalls: 4 };

/** Errors the worker sent as its answer: the statement or operation ended there (a transaction rolled back). */
const answeredErrors = new WeakSet<Error>();

function answered(error: Error): Error {
  answeredErrors.add(error);
  return error;
}

/** Whether the worker answered with this error, rather than the call being cut off with no answer. */
function answeredByWorker(error: unknown): boolean {
  return error instanceof Error && answeredErrors.has(error);
}

/** The worker loads the same TypeScript sources as this thread, through tsx (see its entry). */
function startWorker(dataDir: string | undefined): Worker {
  return new Worker(new URL('./storeWorkerEntry.mjs', import.meta.url), { workerData: { dataDir } });
}

/** A worker whose database is open and up to date (its migrations run before it says so, unbounded). */
async function startedWorker(dataDir: string | undefined): Promise<Worker> {
  const worker = startWorker(dataDir);
  const stopped = (code: number) =>
    new Error(`The database's worker thread stopped while opening (exit code ${code}).`);
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
  return worker;
}

export interface WorkerTimeouts {
  /**
   * How long the worker may owe a reply without sending any before it is taken to be stuck on one
   * statement (or on a transaction its caller abandoned): it is then terminated, everything waiting
   * on it fails as timed out (503), and a fresh worker opens the same data directory. 0: never.
   */
  statementTimeoutMs: number;
  /** How long a call made while the worker restarts waits for the new one before it fails as timed out. */
  restartWaitMs: number;
}

/** Calls made while the worker restarts wait this long for the new one (opening a store takes 1-3 s). */
export const DEFAULT_RESTART_WAIT_MS = 15_000;

/** As PostgreSQL's statement_timeout reports itself, so the layers above answer it the same way (503). */
function timedOut(statementTimeoutMs: number, what: string): Error {
  return Object.assign(new Error(`${what} (the embedded database's statement timeout is ${statementTimeoutMs} ms).`), {
    code: PG_QUERY_CANCELED,
  });
}

interface Waiting {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * The server thread's side of the worker. PGlite cannot cancel a statement (no timers inside its
 * WebAssembly), so the bound is kept here: a watchdog that notices when the worker has owed a reply
 * for longer than the statement timeout with none sent (PGlite runs one statement at a time, so that
 * is the age of the statement in hand), terminates the worker and starts another on the same data
 * directory. PGlite recovers as after a crash: what was committed is kept, the unfinished
 * transaction is lost. Only a store on disk can be restarted; one in memory has no watchdog.
 */
class WorkerConnection {
  private worker: Worker | undefined;
  /** Bumped with each worker, so a transaction begun on one is never continued on the next. */
  private generation = 0;
  private starting: Promise<void> | undefined;
  private lastId = 0;
  private readonly pending = new Map<number, Waiting>();
  /** Calls made while the worker restarts, sent once the new one is ready. */
  private readonly queued = new Map<number, { request: StoreRequest; waiting: Waiting; timer: NodeJS.Timeout }>();
  /** Since when the worker has owed a reply without sending one; undefined when it owes none. */
  private owedSince: number | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  /** Work allowed to take as long as it takes (bulk loads), in progress. */
  private unbounded = 0;
  private closing = false;
  private stopped: Error | undefined;

  constructor(
    worker: Worker,
    private readonly dataDir: string | undefined,
    private readonly timeouts: WorkerTimeouts,
  ) {
    this.attach(worker);
  }

  get statementTimeoutMs(): number {
    return this.timeouts.statementTimeoutMs || DEFAULT_STATEMENT_TIMEOUT_MS;
  }

  /** The generation of the worker now answering, for a transaction to note at its start. */
  get currentGeneration(): number {
    return this.generation;
  }

  private attach(worker: Worker): void {
    const generation = ++this.generation;
    this.worker = worker;
    worker.on('message', (reply: StoreReply) => {
      if (generation !== this.generation) return;
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      this.owedSince = this.pending.size > 0 ? performance.now() : undefined;
      if (reply.ok) waiting?.resolve(reply.result);
      else waiting?.reject(answered(rebuilt(reply.error)));
    });
    // A worker that died by itself answers nothing: what waits on it fails; on disk, the next call starts another.
    const lost = (error: Error) => {
      if (generation !== this.generation || this.worker !== worker) return;
      this.worker = undefined;
      this.failPending(error);
      if (this.dataDir === undefined) this.stopped ??= error;
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`The database's worker thread stopped (exit code ${code}).`)));
  }

  private failPending(error: Error): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    this.owedSince = undefined;
    for (const { reject } of waiting) reject(error);
  }

  private get watched(): boolean {
    return this.timeouts.statementTimeoutMs > 0 && this.dataDir !== undefined;
  }

  private armWatchdog(): void {
    if (!this.watched || this.watchdog || this.owedSince === undefined) return;
    const due = this.owedSince + this.timeouts.statementTimeoutMs - performance.now();
    this.watchdog = setTimeout(
      () => {
        this.watchdog = undefined;
        this.checkWorker();
      },
      Math.max(1, due),
    );
    this.watchdog.unref();
  }

  private checkWorker(): void {
    if (this.owedSince === undefined || this.worker === undefined) return;
    // A bulk load's long statements count as progress.
    if (this.unbounded > 0) this.owedSince = performance.now();
    if (performance.now() - this.owedSince < this.timeouts.statementTimeoutMs) return this.armWatchdog();
    const stuck = this.worker;
    this.worker = undefined;
    this.failPending(
      timedOut(this.timeouts.statementTimeoutMs, 'The database took too long over one statement, so it was stopped'),
    );
    if (this.closing) {
      void stuck.terminate();
      return;
    }
    process.emitWarning(
      `The database's worker owed a reply for over ${this.timeouts.statementTimeoutMs} ms; it is restarted on the same data directory.`,
    );
    void this.restart(stuck);
  }

  /** A fresh worker on the same data directory; what was queued meanwhile goes to it, or fails with it. */
  private restart(previous?: Worker): Promise<void> {
    this.starting ??= (async () => {
      try {
        // Never two PGlites on one directory: the old thread is gone before the new one opens it.
        await previous?.terminate();
        const worker = await startedWorker(this.dataDir);
        if (this.closing) {
          await worker.terminate();
          return;
        }
        this.attach(worker);
        const queued = [...this.queued];
        this.queued.clear();
        for (const [id, { request, waiting, timer }] of queued) {
          clearTimeout(timer);
          this.send(id, request, waiting);
        }
      } catch (error) {
        const queued = [...this.queued.values()];
        this.queued.clear();
        for (const { waiting, timer } of queued) {
          clearTimeout(timer);
          waiting.reject(error as Error);
        }
      } finally {
        this.starting = undefined;
      }
    })();
    return this.starting;
  }

  private send(id: number, request: StoreRequest, waiting: Waiting): void {
    if (this.pending.size === 0) this.owedSince = performance.now();
    this.pending.set(id, waiting);
    (this.worker as Worker).postMessage({ id, request });
    this.armWatchdog();
  }

  call<T>(request: StoreRequest): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = ++this.lastId;
    return new Promise<T>((resolve, reject) => {
      const waiting: Waiting = { resolve: resolve as (result: unknown) => void, reject };
      if (this.worker) return this.send(id, request, waiting);
      if (this.closing) return reject(new Error('The database is closed.'));
      // The worker is restarting: wait for the new one, for a bounded time.
      const timer = setTimeout(() => {
        this.queued.delete(id);
        reject(
          timedOut(
            this.timeouts.statementTimeoutMs,
            `The database did not come back within ${this.timeouts.restartWaitMs} ms after a statement was stopped`,
          ),
        );
      }, this.timeouts.restartWaitMs);
      timer.unref();
      this.queued.set(id, { request, waiting, timer });
      if (!this.starting) void this.restart();
    });
  }

  /**
   * A call inside a statement-by-statement transaction begun on the worker of `generation`: once
   * that worker is gone, so is the transaction (rolled back by PGlite's recovery), and the call
   * must not reach the new worker, whose transactions are numbered afresh.
   */
  callInTransaction<T>(generation: number, request: StoreRequest): Promise<T> {
    if (generation === this.generation && this.worker !== undefined) return this.call<T>(request);
    if (request.op === 'end' && !request.commit) return Promise.resolve(undefined as T);
    return Promise.reject(
      timedOut(
        this.timeouts.statementTimeoutMs,
        'The transaction was lost when the database was restarted after a statement took too long',
      ),
    );
  }

  /** Runs work whose statements may take longer than the statement timeout (a bulk load at start or seeding). */
  async withoutTimeout<T>(work: () => Promise<T>): Promise<T> {
    this.unbounded++;
    try {
      return await work();
    } finally {
      this.unbounded--;
      if (this.owedSince !== undefined) this.owedSince = performance.now();
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.starting;
    const worker = this.worker;
    if (!worker) return;
    try {
      await this.call({ op: 'close' });
    } finally {
      clearTimeout(this.watchdog);
      await worker.terminate();
    }
  }
}

function sqlClientOver(connection: WorkerConnection, maintenance: IdleMaintenance): SqlClient {
  return {
    query: <Row>(sql: string, params: unknown[] = []) => {
      maintenance.activity();
      return connection.call<Row[]>({ op: 'query', sql, params });
    },
    // Statement by statement, each a round trip while the worker holds the connection: for the
    // rare callers (auth's clear); the services' transactions go whole, as store operations.
    async transaction(callback) {
      maintenance.activity();
      const tx = await connection.call<number>({ op: 'begin' });
      const generation = connection.currentGeneration;
      const within = <T>(request: StoreRequest) => connection.callInTransaction<T>(generation, request);
      const executor: SqlExecutor = {
        query: <Row>(sql: string, params: unknown[] = []) => within<Row[]>({ op: 'txQuery', tx, sql, params }),
      };
      let result;
      try {
        result = await callback(executor);
      } catch (error) {
        await within({ op: 'end', tx, commit: false });
        throw error;
      }
      await within({ op: 'end', tx, commit: true });
      maintenance.written();
      return result;
    },
    close: () => {
      maintenance.stop();
      return connection.close();
    },
  };
}

/**
 * A search testing more terms than a person's search needs (10 name words, or a list of identifiers):
 * each is a subquery the database plans afresh, so such a search holds PGlite's one connection many
 * times longer than a read. They take turns, so an ordinary read queues behind one of them at most.
 */
export const COSTLY_SEARCH_TERMS = 10;

function termsOf(spec: SearchSpec): number {
  return spec.criteria.reduce((total, criterion) => {
    if (criterion.kind === 'words') return total + criterion.words.length;
    if (criterion.kind === 'identifier' || criterion.kind === 'referenceIdentifier')
      return total + criterion.anyOf.length;
    return total + 1;
  }, 0);
}

class WorkerFhirStore extends SqlFhirStore {
  /** The costly searches' queue: each starts when the one before has finished. */
  private costlyTurn: Promise<unknown> = Promise.resolve();

  constructor(
    sql: SqlClient,
    private readonly connection: WorkerConnection,
    private readonly maintenance: IdleMaintenance,
  ) {
    // This process is the data directory's one writer (its lock), so searches can be kept here.
    super(sql, new SearchCache());
  }

  /**
   * The worker loads the operation's module by its key and runs it beside the database, and says
   * what its writes changed: kept searches of it are stale before the write is acknowledged.
   */
  override async run<Input, Output>(operation: StoreOperation<Input, Output>, input: Input) {
    this.maintenance.activity();
    try {
      const { output, written, slotChanges } = await this.connection.call<Recorded<Output>>({
        op: 'run',
        key: operation.key,
        input,
      });
      this.searchCache?.written(written, slotChanges);
      if (written.length > 0) this.maintenance.written();
      return output;
    } catch (error) {
      // Refused by the operation: its transaction was rolled back, nothing changed. Cut off (a
      // restarted worker, a lost thread): whether anything committed is not known here.
      if (!answeredByWorker(error)) this.searchCache?.forgetAll();
      throw error;
    }
  }

  override search(spec: SearchSpec) {
    if (termsOf(spec) <= COSTLY_SEARCH_TERMS) return super.search(spec);
    const queued = performance.now();
    const search = this.costlyTurn.then(() => {
      // A flood of them is refused after a bounded wait, as the statement timeout would.
      if (performance.now() - queued > this.connection.statementTimeoutMs)
        throw timedOut(this.connection.statementTimeoutMs, 'Costly searches are queued for the database');
      return super.search(spec);
    });
    this.costlyTurn = search.catch(() => undefined);
    return search;
  }

  /** At start and in `npm run seed` only: its chunks and ANALYZE of a large store may take longer than a request may. */
  override bulkLoad(resources: Resource[], now: Date): Promise<number> {
    return this.connection.withoutTimeout(() => super.bulkLoad(resources, now));
  }

  /** At start only (topping up slots): one pass over every slot, which in a large store may take a while. */
  override lastSlotStartBySchedule(): Promise<Map<string, Date>> {
    return this.connection.withoutTimeout(() => super.lastSlotStartBySchedule());
  }

  /** `npm run seed -- --reset` only. */
  override clear(): Promise<void> {
    return this.connection.withoutTimeout(() => super.clear());
  }
}

/**
 * PGlite in a worker thread, on disk in `dataDir` or in memory when undefined, its schema up to date.
 * On disk, a statement that runs past `statementTimeoutMs` restarts the worker (see WorkerConnection).
 */
export async function openPgliteWorker(
  dataDir: string | undefined,
  timeouts: WorkerTimeouts = { statementTimeoutMs: 0, restartWaitMs: DEFAULT_RESTART_WAIT_MS },
): Promise<{ sql: SqlClient; store: SqlFhirStore }> {
  const connection = new WorkerConnection(await startedWorker(dataDir), dataDir, timeouts);
  // What autovacuum would do (see idleMaintenance.ts); a table may take longer than a statement may.
  const maintenance = new IdleMaintenance({
    maintain: (table) =>
      connection.withoutTimeout(() => connection.call({ op: 'query', sql: `VACUUM (ANALYZE) ${table}`, params: [] })),
    ...MAINTENANCE,
  });
  const sql = sqlClientOver(connection, maintenance);
  return { sql, store: new WorkerFhirStore(sql, connection, maintenance) };
}
