// The server compiled ahead, module for module, from TypeScript to plain JavaScript in build/, so
// `npm start` loads it with Node's own loader instead of tsx's, which resolved and transformed every
// module through hooks on a thread of their own: over a second of each start. Plain JavaScript
// itself, so it runs before anything can load TypeScript. esbuild is tsx's own compiler; it only
// strips the types (`npm run typecheck` checks them), so the compiled server behaves as under tsx.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The folders compiled, each to the same place under build/ (the suites in server/test stay TypeScript). */
const SOURCE_DIRS = ['server', 'domain'];
const SKIPPED_DIRS = ['server/test'];
const isSource = (name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts');
/**
 * Files the server reads by a path relative to its own module, copied to the same place under
 * build/ so that path holds there too (the sign-in page's design tokens).
 */
const ASSETS = ['src/styles/tokens.css'];
/** The database worker's entry: under tsx it registers tsx in its thread; compiled, it loads the compiled worker. */
const WORKER_ENTRY = { path: 'server/storage/storeWorkerEntry.mjs', text: "import './storeWorker.js';\n" };

export const buildDirOf = (root) => join(root, 'build');
/** What `npm start` runs. */
export const compiledStartOf = (root) => join(buildDirOf(root), 'server', 'cli', 'start.js');
/** Written after every module, with the time the sources were read: a build older than a source is compiled again. */
const stampOf = (root) => join(buildDirOf(root), '.compiled');

function sourcesUnder(root, dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.includes(path) ? [] : sourcesUnder(root, path);
    return isSource(entry.name) ? [join(root, path)] : [];
  });
}

const allSources = (root) => SOURCE_DIRS.flatMap((dir) => sourcesUnder(root, dir));

/** Whether build/ is missing, or older than a source, an asset, this script or package.json. */
export function compiledIsStale(root = REPO_ROOT) {
  const stamp = stampOf(root);
  if (!existsSync(stamp)) return true;
  const inputs = [
    ...allSources(root),
    ...ASSETS.map((asset) => join(root, asset)),
    fileURLToPath(import.meta.url),
    join(root, 'package.json'),
  ];
  // To the millisecond the stamp has (it is the compile's Date): a source written in the same
  // millisecond before the compile read it carries a fraction of one more and was not newer.
  return statSync(stamp).mtimeMs < Math.max(...inputs.map((path) => Math.floor(statSync(path).mtimeMs)));
}

/**
 * Each file is written under a temporary name and renamed over the old one, and only when its text
 * changed: servers that tests start side by side may compile at once while others load build/.
 */
function writeAtomically(path, contents) {
  if (existsSync(path) && readFileSync(path).equals(contents)) return;
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/**
 * The sources import each other extensionless (TypeScript's bundler resolution, as tsx and Vite
 * read them); Node's own loader needs the file, so each relative import becomes `<name>.js`.
 * Packages stay imports: nothing is bundled, every module keeps its own file and `import.meta.url`
 * (the store operations are known by it in both threads).
 */
function nodeImports(root) {
  return {
    name: 'node-imports',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (!args.path.startsWith('.')) return { path: args.path, external: true };
        if (!existsSync(`${resolve(args.resolveDir, args.path)}.ts`))
          throw new Error(`${relative(root, args.importer)} imports ${args.path}, which is not a .ts module.`);
        return { path: `${args.path}.js`, external: true };
      });
    },
  };
}

/** Compiles every server and domain module to build/ (well under a second). */
export async function compileServer(root = REPO_ROOT) {
  const readAt = new Date();
  const buildDir = buildDirOf(root);
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: allSources(root),
    outbase: root,
    outdir: buildDir,
    bundle: true,
    plugins: [nodeImports(root)],
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Stack traces name the TypeScript's lines (launch.mjs turns source maps on).
    sourcemap: 'linked',
    sourcesContent: false,
    write: false,
    logLevel: 'warning',
  });
  for (const file of result.outputFiles) writeAtomically(file.path, Buffer.from(file.contents));
  for (const asset of ASSETS) writeAtomically(join(buildDir, asset), readFileSync(join(root, asset)));
  writeAtomically(join(buildDir, WORKER_ENTRY.path), Buffer.from(WORKER_ENTRY.text));
  const stamp = stampOf(root);
  writeFileSync(stamp, `${readAt.toISOString()}\n`);
  utimesSync(stamp, readAt, readAt);
}

/** The compiled `npm start`, compiled first when it is missing or older than its sources. */
export async function compileServerIfNeeded(root = REPO_ROOT) {
  if (compiledIsStale(root)) await compileServer(root);
  return compiledStartOf(root);
}

// `node server/cli/compileServer.mjs` (in `npm run build`): compile now, whatever the stamp says.
if (process.argv[1] === fileURLToPath(import.meta.url)) await compileServer();
