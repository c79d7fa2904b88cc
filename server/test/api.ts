/**
 * Small helpers for the API tests: requests through Fastify's `inject`, the OperationOutcome
 * assertions every refusal shares, and a snapshot of everything a write could change.
 */
import type { LightMyRequestResponse } from 'fastify';
import type { Appointment, Bundle, OperationOutcome, Resource } from 'fhir/r4';
import { expect } from 'vitest';
import type { TestServer } from './testServer';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface Api {
  request(
    method: Method,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  put(url: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** Books a proposal and returns the stored Appointment, failing the test unless it is a 201. */
  book(proposal: unknown): Promise<Appointment>;
  search<T extends Resource = Resource>(url: string): Promise<Bundle<T>>;
}

/** Requests to the test server as its machine client, with that client's token. */
export function apiOf(server: Pick<TestServer, 'app' | 'authorized'>): Api {
  const request = async (method: Method, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    server.app.inject({
      method,
      url: `/fhir/${url.replace(/^\//, '')}`,
      headers: { ...server.authorized, ...headers },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const api: Api = {
    request,
    get: (url, headers) => request('GET', url, undefined, headers),
    post: (url, body, headers) => request('POST', url, body, headers),
    put: (url, body, headers) => request('PUT', url, body, headers),
    async book(proposal) {
      const response = await request('POST', 'Appointment', proposal);
      expect(response.statusCode, response.body).toBe(201);
      return response.json<Appointment>();
    },
    async search<T extends Resource>(url: string) {
      const response = await request('GET', url);
      expect(response.statusCode, response.body).toBe(200);
      return response.json<Bundle<T>>();
    },
  };
  return api;
}

/** Asserts a refusal: the status, an OperationOutcome with an issue of that code and expression. */
export function expectOutcome(
  response: LightMyRequestResponse,
  status: number,
  code: string | string[],
  expression?: string,
): OperationOutcome {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
  const outcome = response.json<OperationOutcome>();
  expect(outcome.resourceType).toBe('OperationOutcome');
  for (const found of outcome.issue) {
    expect(found.severity).toMatch(/^(error|fatal)$/);
    expect(found.diagnostics, JSON.stringify(found)).toMatch(/\w{3,}/);
  }
  const codes = Array.isArray(code) ? code : [code];
  const matching = outcome.issue.filter(
    (found) =>
      codes.includes(found.code) && (expression === undefined || (found.expression ?? []).includes(expression)),
  );
  expect(
    matching,
    `expected an issue ${codes.join('|')} at ${expression ?? '(any)'} in ${response.body}`,
  ).not.toHaveLength(0);
  return outcome;
}

export interface StoreSnapshot {
  appointments: Resource[];
  slots: Resource[];
}

/** Every appointment and every fixture slot as stored, versions included, to prove a refusal changed nothing. */
export async function snapshot(api: Api): Promise<StoreSnapshot> {
  const appointments = await api.search('Appointment?_count=1000');
  const slots = await api.search('Slot?start=ge2000-01-01&_count=1000');
  return {
    appointments: (appointments.entry ?? []).map((entry) => entry.resource as Resource),
    slots: (slots.entry ?? []).map((entry) => entry.resource as Resource),
  };
}

/** Runs a request that must be refused, and asserts the store is exactly as it was before it. */
export async function refusedWithoutChange(
  api: Api,
  send: () => Promise<LightMyRequestResponse>,
  status: number,
  code: string | string[],
  expression?: string,
): Promise<OperationOutcome> {
  const before = await snapshot(api);
  const outcome = expectOutcome(await send(), status, code, expression);
  expect(await snapshot(api)).toEqual(before);
  return outcome;
}
