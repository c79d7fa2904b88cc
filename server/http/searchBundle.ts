import type { Bundle, BundleEntry, BundleLink, Resource } from 'fhir/r4';
import type { SearchResult } from '../storage/searchSpec';
import type { SearchRequest } from '../search/parseSearch';
import { withElements } from './elements';

/** The parameters the answer applied, with paging replaced, for the self, next and previous links. */
function queryString(applied: SearchRequest['applied'], paging: { count: number; offset: number }): string {
  const params = new URLSearchParams(applied);
  params.set('_count', String(paging.count));
  if (paging.offset > 0) params.set('_offset', String(paging.offset));
  return params.toString();
}

/** The searchset's entries for these resources, each shaped as the request asked (`_elements`). */
export function searchEntries(
  baseUrl: string,
  shape: SearchRequest['shape'],
  resources: Resource[],
  mode: 'match' | 'include',
): BundleEntry[] {
  const elements = mode === 'match' ? shape.elements : undefined;
  return resources.map((resource) => ({
    fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`,
    resource: elements ? withElements(resource, elements) : resource,
    search: { mode },
  }));
}

/** The searchset without its entries: type, total and links (all a count is). */
export function searchEnvelope(baseUrl: string, request: SearchRequest, result: SearchResult<Resource>): Bundle {
  const { spec, shape, applied } = request;
  const url = (offset: number) =>
    `${baseUrl}/${spec.resourceType}?${queryString(applied, { count: spec.count, offset })}`;
  const link: BundleLink[] = [{ relation: 'self', url: url(spec.offset) }];
  if (shape.summary === 'count') return { resourceType: 'Bundle', type: 'searchset', total: result.total, link };
  if (spec.count > 0 && spec.offset + result.matches.length < result.total)
    link.push({ relation: 'next', url: url(spec.offset + spec.count) });
  if (spec.offset > 0) link.push({ relation: 'previous', url: url(Math.max(0, spec.offset - spec.count)) });
  return { resourceType: 'Bundle', type: 'searchset', total: result.total, link };
}

/**
 * The searchset of a search's result. Its links carry only what was applied (parseSearchRequest), so a
 * client can tell from `self` which of its parameters the server ignored.
 */
export function searchBundle(baseUrl: string, request: SearchRequest, result: SearchResult<Resource>): Bundle {
  const envelope = searchEnvelope(baseUrl, request, result);
  if (request.shape.summary === 'count') return envelope;
  return {
    ...envelope,
    entry: [
      ...searchEntries(baseUrl, request.shape, result.matches, 'match'),
      ...searchEntries(baseUrl, request.shape, result.included, 'include'),
    ],
  };
}
