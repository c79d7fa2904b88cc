// Loaded with `--import` into the server statementTimeout.test.ts starts; a worker thread inherits
// the flag, so it runs in the database's worker too. There, a request to the database that carries
// the marker holds the worker's thread for a minute before the database sees it, as a statement
// that will not end inside PGlite's WebAssembly would. Everything else runs as in `npm start`.
// (It listens on the worker's port, which it shares with the store: PGlite's module it cannot
// patch, as tsx loads the worker's copy under a namespace of its own.)
import { isMainThread, parentPort } from 'node:worker_threads';

export const SLOW_STATEMENT_MARKER = 'slowstatementmarker';

if (!isMainThread && parentPort) {
  // Added before the store's own listener, so it runs first, on the same thread.
  parentPort.on('message', (message) => {
    if (!JSON.stringify(message?.request ?? null).includes(SLOW_STATEMENT_MARKER)) return;
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      // held
    }
  });
}
