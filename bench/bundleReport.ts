/**
 * Which dependency the initial JavaScript is made of: each generated character of the initial chunks is
 * attributed, through the build's source maps, to the package (or `app`, `domain`) whose source it came
 * from; each share is then gzipped on its own. Standalone gzip sizes add up to a little more than the
 * chunk's (each compresses without the others' context), so the report gives both.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((char, index) => [char, index]));

/** One source-map segment's fields, base64 VLQ (the format of `mappings`). */
function decodeSegment(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGIT.get(char) ?? 0;
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** `react-dom`, `@tanstack/react-query`, `app` (src/), `domain`, or `other`. */
export function ownerOf(source: string): string {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (inModules) return inModules[1];
  const own = /(?:^|\/)(src|domain)\//.exec(source);
  if (own) return own[1] === 'src' ? 'app' : 'domain';
  return 'other';
}

/** The generated text of one chunk, split by the package each stretch came from. */
export function textByOwner(code: string, map: { sources: string[]; mappings: string }): Map<string, string> {
  const owners = map.sources.map(ownerOf);
  const parts = new Map<string, string[]>();
  const lines = code.split('\n');
  let sourceIndex = 0;
  map.mappings.split(';').forEach((lineMappings, lineNumber) => {
    const line = lines[lineNumber] ?? '';
    // Fields per segment: column (reset each line), then source index, line, column, name (deltas).
    const segments = lineMappings.split(',').filter(Boolean).map(decodeSegment);
    let column = 0;
    const starts: Array<{ column: number; owner: string }> = [];
    for (const fields of segments) {
      column += fields[0];
      if (fields.length > 1) sourceIndex += fields[1];
      starts.push({ column, owner: fields.length > 1 ? (owners[sourceIndex] ?? 'other') : 'other' });
    }
    if (starts.length === 0 && line) starts.push({ column: 0, owner: 'other' });
    starts.forEach(({ column: from, owner }, index) => {
      const slice = line.slice(from, starts[index + 1]?.column ?? line.length);
      const list = parts.get(owner) ?? [];
      list.push(slice);
      parts.set(owner, list);
    });
  });
  return new Map([...parts].map(([owner, slices]) => [owner, slices.join('')]));
}

export interface OwnerShare {
  owner: string;
  rawBytes: number;
  gzipBytes: number;
}

/** The initial chunks' text per owner, largest first; chunks without a source map count as `other`. */
export function bundleShares(distDir: string, chunkUrls: string[]): OwnerShare[] {
  const texts = new Map<string, string[]>();
  for (const url of chunkUrls) {
    const file = join(distDir, url.replace(/^\//, '').split(/[?#]/)[0]);
    const code = readFileSync(file, 'utf8');
    const mapFile = `${file}.map`;
    const owners = existsSync(mapFile)
      ? textByOwner(code, JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; mappings: string })
      : new Map([['other', code]]);
    for (const [owner, text] of owners) texts.set(owner, [...(texts.get(owner) ?? []), text]);
  }
  return [...texts]
    .map(([owner, list]) => {
      const text = list.join('\n');
      return { owner, rawBytes: Buffer.byteLength(text), gzipBytes: gzipSync(text).length };
    })
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
}

export function formatShares(shares: OwnerShare[]): string {
  const total = shares.reduce((sum, share) => sum + share.gzipBytes, 0);
  const rows = shares.map(
    (share) =>
      `  ${share.owner.padEnd(28)} ${(share.rawBytes / 1024).toFixed(1).padStart(7)} KB raw ${(share.gzipBytes / 1024).toFixed(1).padStart(6)} KB gzip alone ${((100 * share.gzipBytes) / total).toFixed(0).padStart(3)} %`,
  );
  return ['Initial JS by dependency (source maps):', ...rows].join('\n');
}
