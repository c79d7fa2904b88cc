import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildDirOf,
  compiledIsStale,
  compiledStartOf,
  compileServer,
  compileServerIfNeeded,
} from './compileServer.mjs';

/** A repository in miniature: the folders compileServer reads, with modules that import each other as ours do. */
const FILES: Record<string, string> = {
  'package.json': '{ "type": "module" }',
  'src/styles/tokens.css': ':root { --ink: #123; }',
  'domain/greeting.ts': 'export const greeting = (name: string): string => `Kia ora, ${name}`;',
  'server/storage/storeWorker.ts': 'export const inWorker = true;',
  'server/cli/start.ts': [
    "import type { Server } from 'node:http';",
    "import { greeting } from '../../domain/greeting';",
    'const unused: Server | undefined = undefined;',
    'console.log(greeting(String(unused ?? "Aroha")));',
    "console.log((await import('../storage/storeWorker')).inWorker);",
  ].join('\n'),
  'server/cli/start.test.ts': 'throw new Error("tests are not compiled");',
  'server/test/fixture.ts': 'throw new Error("the HTTP suites are not compiled");',
};

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'compile-server-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

const built = (path: string) => join(buildDirOf(root), path);

describe('the server compiled ahead', () => {
  it('runs under plain Node: types gone, relative imports (static and dynamic) made .js', async () => {
    await compileServer(root);
    expect(readFileSync(built('server/cli/start.js'), 'utf8')).toContain('"../../domain/greeting.js"');
    const output = execFileSync(process.execPath, [compiledStartOf(root)], { encoding: 'utf8' });
    expect(output).toBe('Kia ora, Aroha\ntrue\n');
  });

  it('leaves the tests and the HTTP suites out, and brings the worker entry and the assets', async () => {
    await compileServer(root);
    expect(existsSync(built('server/cli/start.test.js'))).toBe(false);
    expect(existsSync(built('server/test/fixture.js'))).toBe(false);
    expect(readFileSync(built('server/storage/storeWorkerEntry.mjs'), 'utf8')).toBe("import './storeWorker.js';\n");
    expect(readFileSync(built('src/styles/tokens.css'), 'utf8')).toBe(FILES['src/styles/tokens.css']);
  });

  it('is compiled again only once a source is newer than the last compile', async () => {
    expect(compiledIsStale(root)).toBe(true);
    await compileServerIfNeeded(root);
    expect(compiledIsStale(root)).toBe(false);
    const later = new Date(Date.now() + 5_000);
    writeFileSync(
      join(root, 'domain/greeting.ts'),
      'export const greeting = (name: string): string => `Haere mai, ${name}`;',
    );
    utimesSync(join(root, 'domain/greeting.ts'), later, later);
    expect(compiledIsStale(root)).toBe(true);
    await compileServerIfNeeded(root);
    expect(execFileSync(process.execPath, [compiledStartOf(root)], { encoding: 'utf8' })).toBe(
      'Haere mai, Aroha\ntrue\n',
    );
  });

  it('refuses an import that names no TypeScript module, saying which file has it', async () => {
    writeFileSync(join(root, 'server/cli/broken.ts'), "export { missing } from './missing';");
    await expect(compileServer(root)).rejects.toThrow(/server\/cli\/broken\.ts imports \.\/missing/);
  });
});
