import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from './repositoryRoot';

const root = mkdtempSync(join(tmpdir(), 'repository-root-'));
writeFileSync(join(root, 'package.json'), '{}');
for (const dir of ['server/cli', 'build/server/cli']) mkdirSync(join(root, dir), { recursive: true });
afterAll(() => rmSync(root, { recursive: true, force: true }));

const moduleIn = (dir: string) => pathToFileURL(join(root, dir, 'start.js')).href;

describe('the repository root', () => {
  it('is the same from the TypeScript and from its compiled copy in build/', () => {
    expect(repositoryRoot(moduleIn('server/cli'))).toBe(root);
    expect(repositoryRoot(moduleIn('build/server/cli'))).toBe(root);
  });

  it('is the nearest folder with a package.json', () => {
    writeFileSync(join(root, 'build', 'package.json'), '{}');
    expect(repositoryRoot(moduleIn('build/server/cli'))).toBe(join(root, 'build'));
  });
});
