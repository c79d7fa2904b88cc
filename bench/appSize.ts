/**
 * What a browser downloads before the app can start: the entry module, its modulepreloads and the
 * stylesheets dist/index.html links, gzip-compressed as a server would send them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleShares, formatShares } from './bundleReport';
import type { Figure } from './stats';

const KB = 1024;

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}\\s*=\\s*["']([^"']+)["']`, 'i').exec(tag)?.[1];
}

function initialAssets(html: string): { js: string[]; css: string[] } {
  const js = new Set<string>();
  const css = new Set<string>();
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attribute(tag, 'src');
    if (src && attribute(tag, 'type') === 'module') js.add(src);
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = attribute(tag, 'rel')?.toLowerCase();
    const href = attribute(tag, 'href');
    if (!href) continue;
    if (rel === 'modulepreload') js.add(href);
    if (rel === 'stylesheet') css.add(href);
  }
  return { js: [...js], css: [...css] };
}

function gzipSize(distDir: string, url: string): number {
  return gzipSync(readFileSync(join(distDir, url.replace(/^\//, '').split(/[?#]/)[0]))).length;
}

/** Builds into a directory of our own when dist/ is missing, so a build another process is running is left alone. */
function builtApp(root: string): { dir: string; cleanup: () => void; note: string } | { error: string } {
  const dist = join(root, 'dist');
  if (existsSync(join(dist, 'index.html'))) return { dir: dist, cleanup: () => undefined, note: 'dist/' };
  const outDir = mkdtempSync(join(tmpdir(), 'nz-appointments-bench-dist-'));
  try {
    execFileSync(
      process.execPath,
      [
        join(root, 'node_modules/vite/bin/vite.js'),
        'build',
        '--outDir',
        outDir,
        '--emptyOutDir',
        '--logLevel',
        'error',
      ],
      {
        cwd: root,
        stdio: 'pipe',
        timeout: 180_000,
      },
    );
    return { dir: outDir, cleanup: () => rmSync(outDir, { recursive: true, force: true }), note: 'fresh vite build' };
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    const lines = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message)
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const reason = lines.find((line) => /error/i.test(line)) ?? lines[0] ?? 'no output';
    return { error: `no built app (dist/ missing) and vite build failed: ${reason.slice(0, 160)}` };
  }
}

/** The figures, and the initial JS by dependency through `report` (printed beside the table). */
export function measureAppSize(root: string, report: (text: string) => void): Figure[] {
  const section = 'app';
  const built = builtApp(root);
  if ('error' in built) {
    return [
      {
        section,
        name: 'initial JS (gzip)',
        value: null,
        unit: 'KB',
        budget: { limit: 100, atMost: true },
        note: built.error,
      },
      { section, name: 'initial CSS (gzip)', value: null, unit: 'KB', note: built.error },
    ];
  }
  try {
    const assets = initialAssets(readFileSync(join(built.dir, 'index.html'), 'utf8'));
    const total = (urls: string[]) => urls.reduce((sum, url) => sum + gzipSize(built.dir, url), 0) / KB;
    report(formatShares(bundleShares(built.dir, assets.js)));
    return [
      {
        section,
        name: 'initial JS (gzip)',
        value: total(assets.js),
        unit: 'KB',
        budget: { limit: 100, atMost: true },
        note: `${assets.js.length} file(s), ${built.note}`,
      },
      {
        section,
        name: 'initial CSS (gzip)',
        value: total(assets.css),
        unit: 'KB',
        note: `${assets.css.length} file(s)`,
      },
    ];
  } finally {
    built.cleanup();
  }
}
