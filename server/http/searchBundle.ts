import type { Bundle, BundleLink, Resource } from 'fhir/r4';
import type { SearchResult, SearchSpec } from '../storage/searchSpec';
import type { QueryValues } from '../search/parseSearch';

/** The query string again, with paging replaced, for the self and next links. */
function queryString(query: QueryValues, paging: { count: number; offset: number }): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (name === '_count' || name === '_offset') continue;
    for (const one of Array.isArray(value) ? value : [value ?? '']) params.append(name, String(one));
  }
  params.set('_count', String(paging.count));
  if (paging.offset > 0) params.set('_offset', String(paging.offset));
  return params.toString();
}

export function searchBundle(
  baseUrl: string,
  spec: SearchSpec,
  query: QueryValues,
  result: SearchResult<Resource>,
): Bundle {
  const url = (offset: number) =>
    `${baseUrl}/${spec.resourceType}?${queryString(query, { count: spec.count, offset })}`;
  const link: BundleLink[] = [{ relation: 'self', url: url(spec.offset) }];
  if (spec.count > 0 && spec.offset + result.matches.length < result.total)
    link.push({ relation: 'next', url: url(spec.offset + spec.count) });
  if (spec.offset > 0) link.push({ relation: 'previous', url: url(Math.max(0, spec.offset - spec.count)) });
  const entry = (resource: Resource, mode: 'match' | 'include') => ({
    fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`,
    resource,
    search: { mode },
  });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: result.total,
    link,
    entry: [
      ...result.matches.map((resource) => entry(resource, 'match')),
      ...result.included.map((resource) => entry(resource, 'include')),
    ],
  };
}
