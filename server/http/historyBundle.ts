/**
 * `_history` on an instance or a type, as R4's history Bundle: newest first, each entry with the
 * request that made that version (version 1 a create, later ones updates) and its response, paged
 * with `_count` and `_offset`, `_since` for versions written at or after an instant. Like a search, the
 * links carry only the parameters applied.
 */
import type { Bundle, BundleLink, Resource } from 'fhir/r4';
import { FhirError } from '../core/fhirError';
import { DEFAULT_COUNT, MAX_COUNT, type QueryValues } from '../search/parseSearch';

export interface HistoryQuery {
  count: number;
  offset: number;
  since?: Date;
  applied: Array<[string, string]>;
}

const MAX_OFFSET = 100_000;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function bad(name: string, message: string): FhirError {
  return FhirError.of(400, 'invalid', `History parameter "${name}": ${message}`);
}

export function parseHistoryQuery(query: QueryValues, strict: boolean): HistoryQuery {
  const read: HistoryQuery = { count: DEFAULT_COUNT, offset: 0, applied: [] };
  for (const [name, raw] of Object.entries(query)) {
    const value = String(Array.isArray(raw) ? raw[raw.length - 1] : (raw ?? ''));
    if (name === '_count' || name === '_offset') {
      if (!/^\d{1,9}$/.test(value)) throw bad(name, 'give a whole number.');
      if (name === '_count') read.count = Math.min(Number(value), MAX_COUNT);
      else read.offset = Math.min(Number(value), MAX_OFFSET);
    } else if (name === '_since') {
      if (!INSTANT.test(value) || Number.isNaN(Date.parse(value)))
        throw bad(name, 'give an instant with a time zone, like 2026-12-01T09:00:00+13:00.');
      read.since = new Date(value);
      read.applied.push([name, value]);
    } else if (name === '_format') read.applied.push([name, value]);
    else if (strict) throw bad(name, 'not supported; _count, _offset and _since are.');
  }
  return read;
}

function verb(version: Resource): { request: { method: 'POST' | 'PUT'; url: string }; status: string } {
  const created = version.meta?.versionId === '1';
  return created
    ? { request: { method: 'POST', url: version.resourceType }, status: '201 Created' }
    : { request: { method: 'PUT', url: `${version.resourceType}/${version.id}` }, status: '200 OK' };
}

/** `path` is the history's own URL under the base (`Appointment/_history`, `Appointment/{id}/_history`). */
export function historyBundle(
  baseUrl: string,
  path: string,
  query: HistoryQuery,
  page: { total: number; versions: Resource[] },
): Bundle {
  const url = (offset: number) => {
    const params = new URLSearchParams(query.applied);
    params.set('_count', String(query.count));
    if (offset > 0) params.set('_offset', String(offset));
    return `${baseUrl}/${path}?${params.toString()}`;
  };
  const link: BundleLink[] = [{ relation: 'self', url: url(query.offset) }];
  if (query.count > 0 && query.offset + page.versions.length < page.total)
    link.push({ relation: 'next', url: url(query.offset + query.count) });
  if (query.offset > 0) link.push({ relation: 'previous', url: url(Math.max(0, query.offset - query.count)) });
  return {
    resourceType: 'Bundle',
    type: 'history',
    total: page.total,
    link,
    entry: page.versions.map((version) => {
      const { request, status } = verb(version);
      return {
        fullUrl: `${baseUrl}/${version.resourceType}/${version.id}`,
        resource: version,
        request,
        response: {
          status,
          location: `${baseUrl}/${version.resourceType}/${version.id}/_history/${version.meta?.versionId}`,
          etag: `W/"${version.meta?.versionId}"`,
          lastModified: version.meta?.lastUpdated,
        },
      };
    }),
  };
}
