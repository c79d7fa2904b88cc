import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'];

function newestModification(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((entry) => newestModification(join(path, entry))));
}

/** Builds the browser app when dist/ is missing or older than its sources, so `npm start` just works. */
export function buildAppIfNeeded(root: string): string {
  const dist = join(root, 'dist');
  const built = join(dist, 'index.html');
  const stale =
    !existsSync(built) ||
    statSync(built).mtimeMs < Math.max(...SOURCES.map((source) => newestModification(join(root, source))));
  if (stale) {
    console.log('Building the browser app (first start or changed sources)...');
    const result = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
      { cwd: root, stdio: 'inherit' },
    );
    if (result.status !== 0) throw new Error('The browser app did not build; see the messages above.');
  }
  return dist;
}
