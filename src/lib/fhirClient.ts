/**
 * The one way the app talks to a FHIR R4 server: JSON in and out, the facility header when one is
 * configured, the access token when the server needs sign-in, and every failure turned into a
 * FhirRequestError the screens can explain in plain words.
 */
import type { Bundle, CapabilityStatement, FhirResource, OperationOutcomeIssue, Parameters } from 'fhir/r4';
import { FACILITY_HEADER } from '../../domain/identifiers';
import { isOperationOutcome } from '../../domain/operationOutcome';
import { includesOf, withIncludedResources, type IncludeReader } from './includedReferences';

const FHIR_JSON = 'application/fhir+json';
const JSON_PATCH = 'application/json-patch+json';

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
  /** The HTTP status: a conditional create answers 200 (it matched one already) or 201 (created). */
  status?: number;
}

export type SearchParams = Array<[string, string]>;

/** Where the access token comes from when the FHIR server needs sign-in (SMART on FHIR). */
export interface FhirAuthorization {
  /** The token to send, renewed first if it is about to expire; null once sign-in has ended. */
  accessToken(): Promise<string | null>;
  /** The server refused this token (401): a fresh one to try once more, or null when sign-in must start again. */
  renewAfterRejection(rejected: string): Promise<string | null>;
}

export const SIGN_IN_ENDED = 'Your sign-in has ended. Taking you to sign in again…';

export interface SearchOptions {
  /**
   * Ask again cheaply: send the ETag of this search's last answer as If-None-Match, and on 304 Not
   * Modified give back that answer. For lists polled while on screen; a server that sends no ETag on a
   * search answers in full each time, as before.
   */
  revalidate?: boolean;
}

export interface CreateOptions {
  /** A conditional create (If-None-Exist): send only where the server declares `conditionalCreate`. */
  ifNoneExist?: SearchParams;
}

export interface FhirClient {
  search(type: string, params: SearchParams, signal?: AbortSignal, options?: SearchOptions): Promise<Bundle>;
  /** The next page of a searchset (its `next` link); only a link under this server's base is followed. */
  nextPage(bundle: Bundle, signal?: AbortSignal): Promise<Bundle | undefined>;
  read<T extends FhirResource>(type: string, id: string, signal?: AbortSignal): Promise<FhirResponse<T>>;
  create<T extends FhirResource>(resource: T, signal?: AbortSignal, options?: CreateOptions): Promise<FhirResponse<T>>;
  update<T extends FhirResource & { id?: string }>(
    resource: T,
    ifMatch: string | null,
    signal?: AbortSignal,
  ): Promise<FhirResponse<T>>;
  /** JSON Patch (RFC 6902), sent only where the server declares the `patch` interaction. */
  patch<T extends FhirResource>(
    type: string,
    id: string,
    operations: JsonPatchOperation[],
    ifMatch: string | null,
    signal?: AbortSignal,
  ): Promise<FhirResponse<T>>;
  /** An instance operation (`POST [base]/{type}/{id}/${name}`), sent only where the server declares it. */
  operation<T extends FhirResource>(
    type: string,
    id: string,
    name: string,
    parameters: Parameters,
    signal?: AbortSignal,
  ): Promise<FhirResponse<T>>;
  /** The server's CapabilityStatement (`GET [base]/metadata`), asked for once and shared by every caller. */
  capabilities(): Promise<CapabilityStatement>;
}

export interface JsonPatchOperation {
  op: 'replace' | 'test' | 'add' | 'remove';
  path: string;
  value?: unknown;
}

const STATUS_WORDS: Record<number, string> = {
  400: 'The server could not read the request.',
  401: 'The server needs you to sign in.',
  403: 'You are not allowed to do this: your sign-in does not give access to it.',
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
  return (
    STATUS_WORDS[status] ??
    (status >= 500 ? `The FHIR server failed (${status}).` : `The request was refused (${status}).`)
  );
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

/** The FHIR base as an absolute URL ending in a slash, so relative paths resolve under it. */
export function fhirBaseUrl(baseUrl: string, documentUrl: string): URL {
  return new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`, documentUrl);
}

interface SendOptions<Body> {
  body?: Body;
  contentType?: string;
  ifMatch?: string | null;
  ifNoneMatch?: string | null;
  ifNoneExist?: string;
  signal?: AbortSignal;
}

/** How many polled searches' last answers a client remembers for If-None-Match. */
const REVALIDATED_SEARCHES = 32;

export function createFhirClient(
  baseUrl: string,
  facilityId: string | null,
  documentUrl: string,
  authorization: FhirAuthorization | null = null,
): FhirClient {
  const base = fhirBaseUrl(baseUrl, documentUrl);

  async function attempt(
    method: string,
    path: string,
    token: string | null,
    options: SendOptions<string>,
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: FHIR_JSON };
    if (options.body !== undefined) headers['Content-Type'] = options.contentType ?? FHIR_JSON;
    if (facilityId) headers[FACILITY_HEADER] = facilityId;
    if (options.ifMatch) headers['If-Match'] = options.ifMatch;
    if (options.ifNoneMatch) headers['If-None-Match'] = options.ifNoneMatch;
    if (options.ifNoneExist) headers['If-None-Exist'] = options.ifNoneExist;
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await fetch(new URL(path, base), { method, headers, body: options.body, signal: options.signal });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new FhirRequestError(0, 'The FHIR server cannot be reached. Check the connection, then try again.');
    }
  }

  async function send<T>(method: string, path: string, options: SendOptions<unknown>): Promise<FhirResponse<T>> {
    const sent = { ...options, body: options.body === undefined ? undefined : JSON.stringify(options.body) };
    const token = authorization ? await authorization.accessToken() : null;
    if (authorization && !token) throw new FhirRequestError(401, SIGN_IN_ENDED);
    let response = await attempt(method, path, token, sent);
    if (response.status === 401 && authorization && token) {
      // Expired or revoked early: one renewal and one more try, never a loop.
      const renewed = await authorization.renewAfterRejection(token);
      if (!renewed) throw new FhirRequestError(401, SIGN_IN_ENDED);
      response = await attempt(method, path, renewed, sent);
    }
    if (response.status === 304)
      return { resource: undefined as T, etag: response.headers.get('ETag') ?? options.ifNoneMatch ?? null };
    const body = await readBody(response);
    if (!response.ok) {
      const issues = isOperationOutcome(body) ? (body.issue ?? []) : [];
      throw new FhirRequestError(response.status, statusMessage(response.status), issues);
    }
    return { resource: body as T, etag: response.headers.get('ETag'), status: response.status };
  }

  /** The last answer (and its ETag) of each search asked with `revalidate`, most recent last. */
  const lastAnswers = new Map<string, { etag: string; bundle: Bundle }>();

  /**
   * The CapabilityStatement, asked for once per client: a server's abilities do not change while the app is
   * open. Asked without any caller's AbortSignal, since every caller shares the answer (one caller giving up
   * must not fail the others); a failed answer is asked again next time.
   */
  let statement: Promise<CapabilityStatement> | undefined;
  const capabilities = () => {
    statement ??= send<CapabilityStatement>('GET', 'metadata', {}).then(
      (answer) => answer.resource,
      (error: unknown) => {
        statement = undefined;
        throw error;
      },
    );
    return statement;
  };

  const includeReader = (signal: AbortSignal | undefined): IncludeReader => ({
    async declares(type, include) {
      const found = await capabilities().catch(() => undefined);
      return (found?.rest ?? []).some(
        (rest) =>
          rest.mode === 'server' &&
          (rest.resource ?? []).some(
            (resource) =>
              resource.type === type &&
              (resource.searchInclude ?? []).some((declared) => declared === include || declared === '*'),
          ),
      );
    },
    async readByIds(type, ids) {
      const found: FhirResource[] = [];
      const query = new URLSearchParams([
        ['_id', ids.join(',')],
        ['_count', String(ids.length)],
      ]);
      let page: Bundle | undefined = (await send<Bundle>('GET', `${type}?${query}`, { signal })).resource;
      while (page) {
        found.push(...bundleResources(page).matches);
        page = await followNext(page, signal);
      }
      return found;
    },
  });

  async function followNext(bundle: Bundle, signal: AbortSignal | undefined): Promise<Bundle | undefined> {
    const next = bundle.link?.find((link) => link.relation === 'next')?.url;
    if (!next) return undefined;
    const url = new URL(next, base);
    // The token goes only where the base points: a link elsewhere is not followed.
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname))
      throw new FhirRequestError(
        0,
        'The server sent a next-page link outside its own address, so it was not followed.',
      );
    const page = (await send<Bundle>('GET', url.href, { signal })).resource;
    return withIncludedResources(page, includesOf(url.searchParams), includeReader(signal));
  }

  return {
    async search(type, params, signal, options = {}) {
      const query = new URLSearchParams(params).toString();
      const path = `${type}${query ? `?${query}` : ''}`;
      const complete = (bundle: Bundle) => withIncludedResources(bundle, includesOf(params), includeReader(signal));
      if (!options.revalidate) return complete((await send<Bundle>('GET', path, { signal })).resource);
      const last = lastAnswers.get(path);
      const answer = await send<Bundle | undefined>('GET', path, { signal, ifNoneMatch: last?.etag });
      const bundle = answer.resource ? await complete(answer.resource) : last?.bundle;
      if (!bundle) throw new FhirRequestError(304, 'The server said nothing changed, but nothing was asked before.');
      lastAnswers.delete(path);
      if (answer.etag) {
        lastAnswers.set(path, { etag: answer.etag, bundle });
        if (lastAnswers.size > REVALIDATED_SEARCHES) lastAnswers.delete(lastAnswers.keys().next().value as string);
      }
      return bundle;
    },
    nextPage: followNext,
    read: (type, id, signal) => send('GET', `${type}/${encodeURIComponent(id)}`, { signal }),
    create: (resource, signal, options = {}) =>
      send('POST', resource.resourceType, {
        body: resource,
        signal,
        ...(options.ifNoneExist ? { ifNoneExist: new URLSearchParams(options.ifNoneExist).toString() } : {}),
      }),
    update: (resource, ifMatch, signal) =>
      send('PUT', `${resource.resourceType}/${encodeURIComponent(resource.id ?? '')}`, {
        body: resource,
        ifMatch,
        signal,
      }),
    patch: (type, id, operations, ifMatch, signal) =>
      send('PATCH', `${type}/${encodeURIComponent(id)}`, {
        body: operations,
        contentType: JSON_PATCH,
        ifMatch,
        signal,
      }),
    operation: (type, id, name, parameters, signal) =>
      send('POST', `${type}/${encodeURIComponent(id)}/$${encodeURIComponent(name)}`, { body: parameters, signal }),
    capabilities,
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
