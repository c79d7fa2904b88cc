/**
 * A whole list from a server that pages: `_count` is only a wish (a server may cap it), so a list the
 * app needs in full follows the `next` links to the end. What it cannot get is never dropped in
 * silence: a server that says there are more (`total`) but gives no next link, or a list longer than
 * the app will page through, makes the answer `complete: false`.
 */
import type { Bundle, FhirResource } from 'fhir/r4';
import {
  bundleResources,
  FhirRequestError,
  type FhirClient,
  type SearchOptions,
  type SearchParams,
} from './fhirClient';

/** Enough for any list the app shows whole (a patient's appointments, a week of slots); a loop guard beyond. */
export const MAX_PAGES = 50;

export interface SearchAllResult<T extends FhirResource> {
  matches: T[];
  included: FhirResource[];
  /** Every match the server has: false when it said there were more than it would give. */
  complete: boolean;
}

export async function searchAll<T extends FhirResource>(
  client: FhirClient,
  type: string,
  params: SearchParams,
  signal?: AbortSignal,
  options: SearchOptions = {},
): Promise<SearchAllResult<T>> {
  const first = await client.search(type, params, signal, options);
  const matches: T[] = [];
  const included: FhirResource[] = [];
  let page: Bundle | undefined = first;
  for (let pages = 1; page; pages += 1) {
    const found = bundleResources<T>(page);
    matches.push(...found.matches);
    included.push(...found.included);
    const hasNext = page.link?.some((link) => link.relation === 'next') ?? false;
    if (!hasNext) break;
    if (pages >= MAX_PAGES) return { matches, included, complete: false };
    page = await client.nextPage(page, signal);
  }
  return { matches, included, complete: first.total === undefined || first.total <= matches.length };
}

/** One page of a search the person narrows rather than pages: does the server hold more matches than it sent? */
export function hasMore(bundle: Bundle): boolean {
  const sent = bundleResources(bundle).matches.length;
  return bundle.link?.some((link) => link.relation === 'next') === true || (bundle.total ?? 0) > sent;
}

/** Thrown where a list is only useful whole: what the person sees says the server held some back. */
export class IncompleteListError extends FhirRequestError {
  constructor(what: string) {
    super(
      200,
      `The server did not give the whole list of ${what} (it has more than it sent), so it is not shown rather than shown short.`,
    );
    this.name = 'IncompleteListError';
  }
}

/** `searchAll` for a list the app must have whole: an incomplete one throws IncompleteListError. */
export async function searchWhole<T extends FhirResource>(
  what: string,
  ...args: Parameters<typeof searchAll>
): Promise<Omit<SearchAllResult<T>, 'complete'>> {
  const { matches, included, complete } = await searchAll<T>(...args);
  if (!complete) throw new IncompleteListError(what);
  return { matches: matches as T[], included };
}
