// The database worker's entry, plain JavaScript: Node 20 does not apply a worker's `--import tsx`
// to the worker's own entry, so tsx is registered here, in the thread, before the TypeScript loads.
import { tsImport } from 'tsx/esm/api';

await tsImport('./storeWorker.ts', import.meta.url);
