/**
 * A whole transaction that a service defines and the store runs where the database lives: on the
 * request's thread over PostgreSQL, inside the worker thread beside PGlite (whose single connection
 * must never wait on a round trip between threads). The service decides what the transaction does;
 * storage decides where and how it runs, and turns constraint violations into StoreConflicts.
 *
 * An operation is known by its module and name, so the worker can load the same code the request's
 * thread defined: the module registers its operations as it loads.
 */
import type { StoreTransaction } from './fhirStore';

export interface StoreOperation<Input, Output> {
  /** `<module URL>#<name>`: what crosses to the worker instead of the code. */
  readonly key: string;
  run(tx: StoreTransaction, input: Input): Promise<Output>;
}

const defined = new Map<string, StoreOperation<never, unknown>>();

/** A module's URL without the query a loader may add (tsx marks the worker's modules so). */
function moduleOf(url: string): string {
  return url.replace(/[?#].*$/, '');
}

/** Call at a module's top level with that module's `import.meta.url`. */
export function defineStoreOperation<Input, Output>(
  moduleUrl: string,
  name: string,
  run: (tx: StoreTransaction, input: Input) => Promise<Output>,
): StoreOperation<Input, Output> {
  const key = `${moduleOf(moduleUrl)}#${name}`;
  if (defined.has(key)) throw new Error(`The store operation ${key} is defined twice.`);
  const operation: StoreOperation<Input, Output> = { key, run };
  defined.set(key, operation as StoreOperation<never, unknown>);
  return operation;
}

/** The operation with that key, loading the module that defines it first if it has not loaded yet. */
export async function loadStoreOperation(key: string): Promise<StoreOperation<unknown, unknown>> {
  if (!defined.has(key)) await import(key.slice(0, key.lastIndexOf('#')));
  const operation = defined.get(key);
  if (!operation) throw new Error(`No store operation is defined as ${key}.`);
  return operation as StoreOperation<unknown, unknown>;
}
