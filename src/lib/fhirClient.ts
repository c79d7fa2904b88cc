/**
 * The one way the app talks to a FHIR R4 server: JSON in and out, the facility header when one is
 * configured, and every failure turned into a FhirRequestError the screens can explain in plain words.
 */
import type { Bundle, FhirResource, OperationOutcomeIssue } from 'fhir/r4';
import { FACILITY_HEADER } from '../fhir/identifiers';
import { isOperationOutcome } from '../fhir/operationOutcome';

const FHIR_JSON = 'application/fhir+json';

/** `status` 0 means no answer at all: the server is down or the network is. */
export class FhirRequestError extends Error {
  readonly status: number;
  readonly issues: OperationOutcomeIssue[];

  constructor(status: number, message: string, issues: OperationOutcomeIssue[] = []) {
    super(message);
    this.name = 'FhirRequestError';
    this.status = status;
    this.issues = issues;
  }

  get isNetworkFailure(): boolean {
    return this.status === 0;
  }
}

export interface FhirResponse<T> {
  resource: T;
  etag: string | null;
}

export type SearchParams = Array<[string, string]>;

export interface FhirClient {
  search(type: string, params: SearchParams, signal?: AbortSignal): Promise<Bundle>;
  read<T extends FhirResource>(type: string, id: string, signal?: AbortSignal): Promise<FhirResponse<T>>;
  create<T extends FhirResource>(resource: T, signal?: AbortSignal): Promise<FhirResponse<T>>;
  update<T extends FhirResource & { id?: string }>(resource: T, ifMatch: string | null, signal?: AbortSignal): Promise<FhirResponse<T>>;
}

const STATUS_WORDS: Record<number, string> = {
  400: 'The server could not read the request.',
  401: 'The server needs you to sign in.',
  403: 'The server does not allow this.',
  404: 'The server could not find that.',
  409: 'That clashes with something already booked.',
  412: 'Someone else changed this since it was loaded.',
  422: 'The server refused it: a booking rule was not met.',
  429: 'The server is busy: wait a moment and try again.',
  502: 'The FHIR server is not answering (bad gateway).',
  503: 'The FHIR server is unavailable at the moment.',
  504: 'The FHIR server took too long to answer.',
};

function statusMessage(status: number): string {
  return STATUS_WORDS[status] ?? (status >= 500 ? `The FHIR server failed (${status}).` : `The request was refused (${status}).`);
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function createFhirClient(baseUrl: string, facilityId: string | null, documentUrl: string): FhirClient {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`, documentUrl);

  async function send<T>(method: string, path: string, options: { body?: unknown; ifMatch?: string | null; signal?: AbortSignal }): Promise<FhirResponse<T>> {
    const headers: Record<string, string> = { Accept: FHIR_JSON };
    if (options.body !== undefined) headers['Content-Type'] = FHIR_JSON;
    if (facilityId) headers[FACILITY_HEADER] = facilityId;
    if (options.ifMatch) headers['If-Match'] = options.ifMatch;
    let response: Response;
    try {
      response = await fetch(new URL(path, base), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new FhirRequestError(0, 'The FHIR server cannot be reached. Check the connection, then try again.');
    }
    const body = await readBody(response);
    if (!response.ok) {
      const issues = isOperationOutcome(body) ? (body.issue ?? []) : [];
      throw new FhirRequestError(response.status, statusMessage(response.status), issues);
    }
    return { resource: body as T, etag: response.headers.get('ETag') };
  }

  return {
    async search(type, params, signal) {
      const query = new URLSearchParams(params).toString();
      return (await send<Bundle>('GET', `${type}${query ? `?${query}` : ''}`, { signal })).resource;
    },
    read: (type, id, signal) => send('GET', `${type}/${encodeURIComponent(id)}`, { signal }),
    create: (resource, signal) => send('POST', resource.resourceType, { body: resource, signal }),
    update: (resource, ifMatch, signal) =>
      send('PUT', `${resource.resourceType}/${encodeURIComponent(resource.id ?? '')}`, { body: resource, ifMatch, signal }),
  };
}

/** The resources of a searchset, split into matches and what `_include` brought along. */
export function bundleResources<T extends FhirResource>(bundle: Bundle): { matches: T[]; included: FhirResource[] } {
  const matches: T[] = [];
  const included: FhirResource[] = [];
  for (const entry of bundle.entry ?? []) {
    if (!entry.resource) continue;
    const resource = entry.resource as FhirResource;
    if (entry.search?.mode === 'include') included.push(resource);
    else matches.push(resource as T);
  }
  return { matches, included };
}

/** The version an ETag or meta names, as If-Match wants it. */
export function ifMatchFor(etag: string | null, versionId: string | undefined): string | null {
  if (etag) return etag;
  return versionId ? `W/"${versionId}"` : null;
}
