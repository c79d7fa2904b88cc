// `npm start`'s entry: the server compiled ahead to JavaScript (compileServer.mjs), compiled first
// when a source is newer than build/, so a fresh clone and an edited tree start the same way.
// `npm run dev` still runs the TypeScript through tsx, where a restart after each edit matters more.
import { pathToFileURL } from 'node:url';
import { compileServerIfNeeded } from './compileServer.mjs';

const start = pathToFileURL(await compileServerIfNeeded()).href;
// Errors and stack traces name the TypeScript lines, through the maps the compile wrote beside each module.
process.setSourceMapsEnabled(true);
await import(start);
