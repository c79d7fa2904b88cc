/**
 * Hostile input, generated: valid Appointments and requests mutated every way a careless or
 * malicious client could (missing and extra fields, wrong types, huge strings, odd Unicode, bad
 * dates, references, ids, search parameters and headers). Whatever arrives: never a 5xx, every
 * refusal an OperationOutcome, nothing stored unless valid, and the server still answers.
 * 11,000 generated cases, in-process through Fastify's inject; the seeds are fixed so a failure repeats.
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import type { Appointment, Bundle, OperationOutcome } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, type Api } from './api';
import { proposal } from './fixtures';
import { startTestServer, type TestServer } from './testServer';

let server: TestServer;
let api: Api;

beforeAll(async () => {
  server = await startTestServer();
  api = apiOf(server);
});
afterAll(() => server.close());

/** Never a 5xx; any refusal is a well-formed OperationOutcome. */
function expectSafe(response: LightMyRequestResponse, what: string, head = false): void {
  expect(response.statusCode, `${what} -> ${response.statusCode} ${response.body.slice(0, 500)}`).toBeLessThan(500);
  if (response.statusCode < 400 || head) return;
  expect(response.headers['content-type'], what).toMatch(/^application\/fhir\+json/);
  const outcome = response.json<OperationOutcome>();
  expect(outcome.resourceType, what).toBe('OperationOutcome');
  expect(outcome.issue.length, what).toBeGreaterThan(0);
  for (const found of outcome.issue) {
    expect(found.severity, what).toMatch(/^(fatal|error|warning|information)$/);
    expect(typeof found.code, what).toBe('string');
    expect(found.diagnostics ?? '', what).toMatch(/\w/);
  }
}

async function appointmentCount(): Promise<number> {
  return (await api.search<Appointment>('Appointment?_count=0')).total ?? Number.NaN;
}

// ---- generators -------------------------------------------------------------------------------

const oddUnicode = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    '\uD800',
    '\uDFFF',
    'a\u202Eb',
    '\u200B',
    '\uFEFF',
    'Ā̴̡',
    '𝔘𝔫𝔦',
    '👩‍⚕️',
    '\r\n',
    '\\',
    '"',
    '<script>',
    "'; DROP TABLE resource; --",
    '%00',
    '${x}',
    '{{x}}',
  ),
);
const hugeString = fc.constantFrom(4_000, 70_000, 300_000).map((length) => 'x'.repeat(length));
const badDate = fc.constantFrom(
  '2030-02-30T09:00:00+13:00',
  '2030-03-05T09:00:00',
  '2030-03-05',
  '2030-03-05T24:00:00+13:00',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:60+14:00',
  '2030-03-05T09:00:00+25:00',
  '1999-01-01T00:00:00Z',
  'yesterday',
  '',
  '2030-13-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
);
const badReference = fc.oneof(
  fc.constantFrom(
    'Patient/',
    'Patient',
    '/Patient/pat-a',
    'Patient/../Slot/x',
    'Patient/pat-a/_history/1',
    'http://evil.example/fhir/Patient/pat-a',
    '#pat-a',
    'Practitioner/pat-a',
    'Patient/ pat-a',
    'Slot/slot-prac-2-0900',
    'urn:uuid:0',
  ),
  oddUnicode.map((id) => `Patient/${id}`),
  hugeString.map((id) => `Slot/${id}`),
);
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  oddUnicode,
  hugeString,
  badDate,
  badReference,
  fc.constant(undefined),
);
const fieldName = fc.oneof(
  fc.constantFrom(
    'resourceType',
    'id',
    'meta',
    'status',
    'start',
    'end',
    'slot',
    'participant',
    'comment',
    'description',
    'created',
    'minutesDuration',
    'text',
    'contained',
    'extension',
    'modifierExtension',
    'cancelationReason',
    'appointmentType',
  ),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '',
    ' ',
    '_start',
    'resourceType ',
  ),
  fc.string({ maxLength: 12 }),
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

/** Every path into a JSON value, so a mutation can reach any depth. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [
    prefix,
    ...children.flatMap((key) => pathsOf((value as Record<string | number, unknown>)[key], [...prefix, key])),
  ];
}

type Mutation = { kind: 'remove' | 'set' | 'add'; pathIndex: number; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('remove', 'set', 'add'),
  pathIndex: fc.nat(),
  key: fieldName,
  value: anyValue,
});

/** Applies mutations to a deep copy; `add` puts an extra member on an object (or an element on an array). */
function mutate(base: unknown, mutations: Mutation[]): unknown {
  const root = { value: structuredClone(base) as Json };
  for (const change of mutations) {
    const paths = pathsOf(root.value);
    const path = paths[change.pathIndex % paths.length];
    let parent: Record<string | number, unknown> = root as Record<string, unknown>;
    let key: string | number = 'value';
    for (const step of path) {
      parent = parent[key] as Record<string | number, unknown>;
      key = step;
    }
    if (change.kind === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (change.kind === 'set') {
      parent[key] = change.value;
    } else {
      const target = parent[key];
      if (Array.isArray(target)) target.push(change.value);
      else if (target !== null && typeof target === 'object')
        Object.defineProperty(target, change.key, {
          value: change.value,
          enumerable: true,
          configurable: true,
          writable: true,
        });
      else parent[key] = change.value;
    }
  }
  return root.value;
}

/** A body as a client might send it: usually JSON, sometimes broken text. */
function serialised(body: unknown, breakIt: number): string {
  const text = JSON.stringify(body) ?? 'undefined';
  if (breakIt === 1) return text.slice(0, Math.max(0, text.length - 3));
  if (breakIt === 2) return `${text},`;
  return text;
}

/** A lone surrogate cannot be percent-encoded as UTF-8 at all; a client would send U+FFFD. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

const TIMES = [
  '09:00',
  '09:15',
  '09:30',
  '09:45',
  '10:00',
  '10:15',
  '10:30',
  '10:45',
  '11:00',
  '11:15',
  '11:30',
  '11:45',
];

describe('hostile input never gets a 5xx, and nothing invalid is stored', () => {
  it(
    'mutated bookings: refused with an OperationOutcome, or stored as a valid booked Appointment',
    { timeout: 120_000 },
    async () => {
      let stored = await appointmentCount();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...TIMES),
          fc.constantFrom('prac-1', 'prac-2'),
          fc.array(mutation, { minLength: 1, maxLength: 3 }),
          fc.nat({ max: 9 }),
          async (time, practitioner, mutations, breakIt) => {
            const body = serialised(
              mutate(
                proposal({ time, practitioner, location: practitioner === 'prac-1' ? 'loc-1' : 'loc-2' }),
                mutations,
              ),
              breakIt,
            );
            const response = await api.post('Appointment', body);
            const what = `POST ${body.slice(0, 300)}`;
            expectSafe(response, what);
            if (response.statusCode === 201) {
              const booked = response.json<Appointment>();
              expect(booked.status, what).toBe('booked');
              expect(new Date(booked.end as string).getTime(), what).toBeGreaterThan(
                new Date(booked.start as string).getTime(),
              );
              expect(
                booked.participant.some((p) => /^Patient\/pat-[ab]$/.test(p.actor?.reference ?? '')),
                what,
              ).toBe(true);
              expect(
                booked.participant.some((p) => /^Practitioner\/prac-[12]$/.test(p.actor?.reference ?? '')),
                what,
              ).toBe(true);
              stored += 1;
              // Free the slot again, so later cases can book it.
              const cancel = await api.put(`Appointment/${booked.id}`, { ...booked, status: 'cancelled' });
              expect(cancel.statusCode, cancel.body).toBe(200);
            }
            expect(await appointmentCount(), `${what}: only a 201 may add an appointment`).toBe(stored);
          },
        ),
        { numRuns: 1_000, seed: 4_001 },
      );
    },
  );

  it(
    'mutated cancellations: refused and nothing changes, unless only the status became "cancelled"',
    { timeout: 120_000 },
    async () => {
      let current = await api.book(
        proposal({ time: '11:45', practitioner: 'prac-2', location: 'loc-2', patient: 'pat-b' }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(mutation, { minLength: 1, maxLength: 3 }),
          fc.nat({ max: 9 }),
          fc.constantFrom(undefined, '*', 'W/"1"', 'W/"2"', '"1"', 'W/""', 'garbage', 'W/"1", W/"2"'),
          async (mutations, breakIt, ifMatch) => {
            const body = serialised(mutate({ ...current, status: 'cancelled' }, mutations), breakIt);
            const response = await api.put(
              `Appointment/${current.id}`,
              body,
              ifMatch === undefined ? {} : { 'if-match': ifMatch },
            );
            const what = `PUT (If-Match ${ifMatch}) ${body.slice(0, 300)}`;
            expectSafe(response, what);
            if (response.statusCode === 200) {
              const cancelled = response.json<Appointment>();
              const { meta: _m1, text: _t1, status: _s1, ...before } = current;
              const { meta: _m2, text: _t2, status: _s2, ...after } = cancelled;
              expect(cancelled.status, what).toBe('cancelled');
              expect(after, what).toEqual(before);
              current = await api.book(
                proposal({ time: '11:45', practitioner: 'prac-2', location: 'loc-2', patient: 'pat-b' }),
              );
            } else {
              expect((await api.get(`Appointment/${current.id}`)).json<Appointment>(), what).toEqual(current);
            }
          },
        ),
        { numRuns: 2_500, seed: 4_002 },
      );
    },
  );

  it('bad search parameters and values: a Bundle or an OperationOutcome', { timeout: 120_000 }, async () => {
    const type = fc.constantFrom(
      'Appointment',
      'Patient',
      'Slot',
      'Schedule',
      'Practitioner',
      'Location',
      'Observation',
      'appointment',
      '',
      '$everything',
      '_search',
      'metadata',
    );
    const name = fc.oneof(
      fc.constantFrom(
        'patient',
        'practitioner',
        'date',
        'status',
        'slot',
        'actor',
        'schedule',
        'start',
        'name',
        'family',
        'given',
        'birthdate',
        'identifier',
        '_id',
        '_count',
        '_offset',
        '_sort',
        '_include',
        '_revinclude',
        '_format',
        '_summary',
        '_elements',
        'patient.identifier',
        'schedule.actor.identifier',
        'schedule.actor',
      ),
      fc.constantFrom(
        'name:exact',
        'name:contains',
        'date:missing',
        'patient:Patient',
        'identifier:of-type',
        '_count:x',
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        'valueOf',
        '',
        '[]',
        'a[b]',
      ),
      fc.string({ maxLength: 10 }),
    );
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      oddUnicode,
      badDate,
      fc.constantFrom(
        'ge',
        'ltx',
        'eq2030',
        'sa2030-03-05',
        'ap2030-03-05',
        'ne2030-03-05T09:00:00+13:00',
        'le9999-99-99',
        'gt2030-03-05T09:00:00.123456789+13:00',
      ),
      fc.constantFrom(
        '-1',
        '0',
        '99999999999',
        '1e3',
        '0x10',
        '1.5',
        'NaN',
        'Infinity',
        '',
        ',,,',
        '|',
        '|||',
        'system|',
        '|value',
        'Patient/',
        'Appointment:patient',
        'Appointment:*',
        '*',
        'Slot:schedule:Schedule',
      ),
      fc.integer().map(String),
      fc.constantFrom(1_000, 9_000).map((length) => 'a'.repeat(length)),
    );
    const encoding = fc.constantFrom('encoded', 'raw', 'broken');
    await fc.assert(
      fc.asyncProperty(
        type,
        fc.array(fc.tuple(name, value, encoding), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (resource, pairs, post) => {
          const query = pairs
            .map(([n, v, how]) =>
              how === 'encoded'
                ? `${encodeURIComponent(wellFormed(n))}=${encodeURIComponent(wellFormed(v))}`
                : how === 'raw'
                  ? `${n}=${v}`.replace(/[#\s]/g, '')
                  : `${n}=%${v.slice(0, 2)}%E0%A4`,
            )
            .join('&');
          const response = post
            ? await server.app.inject({
                method: 'POST',
                url: `/fhir/${resource}/_search`,
                headers: { ...server.authorized, 'content-type': 'application/x-www-form-urlencoded' },
                payload: query,
              })
            : await server.app.inject({ method: 'GET', url: `/fhir/${resource}?${query}`, headers: server.authorized });
          const what = `${post ? 'POST _search' : 'GET'} ${resource}?${query.slice(0, 300)}`;
          expectSafe(response, what);
          if (
            response.statusCode === 200 &&
            ['Appointment', 'Patient', 'Slot', 'Schedule', 'Practitioner', 'Location'].includes(resource)
          ) {
            const bundle = response.json<Bundle>();
            expect(bundle.resourceType, what).toBe('Bundle');
            expect(bundle.type, what).toBe('searchset');
            expect(Number.isInteger(bundle.total), what).toBe(true);
          }
        },
      ),
      { numRuns: 3_500, seed: 4_003 },
    );
  });

  it('bad ids, versions and paths for every method: 4xx with an OperationOutcome', { timeout: 120_000 }, async () => {
    const id = fc.oneof(
      fc.string({ maxLength: 20 }),
      oddUnicode,
      fc.constantFrom(
        'pat-a',
        'slot-prac-1-0900',
        '..',
        '.',
        '%2e%2e',
        '%2F',
        'a%00b',
        'a'.repeat(65),
        'a'.repeat(5_000),
        '$validate',
        '_history',
        '_search',
        'Patient',
        'pat-a;drop',
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'POST', 'HEAD', 'OPTIONS'),
        fc.constantFrom(
          'Appointment',
          'Patient',
          'Slot',
          'Schedule',
          'Practitioner',
          'Location',
          'Observation',
          'PATIENT',
          '',
        ),
        id,
        fc.option(
          fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('1', '0', '-1', '999999999999', '1.0', ' 1')),
          { nil: undefined },
        ),
        async (method, type, rawId, version) => {
          const path = `/fhir/${type}/${encodeURIComponent(wellFormed(rawId))}${version === undefined ? '' : `/_history/${encodeURIComponent(wellFormed(version))}`}`;
          const withBody = method === 'PUT' || method === 'POST' || method === 'PATCH';
          const response = await server.app.inject({
            method,
            url: path,
            headers: server.authorized,
            ...(withBody ? { payload: JSON.stringify({ resourceType: type, id: rawId, status: 'cancelled' }) } : {}),
          });
          const what = `${method} ${path.slice(0, 200)}`;
          expectSafe(response, what, method === 'HEAD');
          // A read answers with the resource asked for (an empty or dot id falls through to the type's search).
          if (
            method === 'GET' &&
            response.statusCode === 200 &&
            response.json<{ resourceType: string }>().resourceType !== 'Bundle'
          ) {
            expect(response.json<{ id?: string }>().id, what).toBe(rawId);
          }
          const isSearch = method === 'POST' && rawId === '_search';
          if (!['GET', 'HEAD', 'OPTIONS'].includes(method) && !isSearch)
            expect(response.statusCode, what).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: 2_000, seed: 4_004 },
    );
  });

  it('bad headers on reads, searches and writes: no 5xx, nothing booked', { timeout: 120_000 }, async () => {
    const before = await appointmentCount();
    const header = fc.oneof(
      fc.string({ maxLength: 40 }).map((text) => text.replace(/[^\t\x20-\x7e]/g, '')),
      fc.constantFrom(
        '',
        ' ',
        ';',
        '*/*',
        'application/fhir+json;charset=latin1',
        'application/json; fhirVersion=3.0',
        'multipart/form-data; boundary=x',
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'W/"1"',
        'return=minimal',
        'handling=strict',
        'Bearer x.y.z',
        'Basic Og==',
        'x'.repeat(8_000),
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'GET /fhir/Patient/pat-a',
          'GET /fhir/Slot?status=free',
          'GET /fhir/metadata',
          'POST /fhir/Appointment',
          'PUT /fhir/Appointment/none',
          'POST /fhir/Slot/_search',
          'GET /config.json',
          'GET /nowhere',
        ),
        fc.dictionary(
          fc.constantFrom(
            'content-type',
            'accept',
            'if-match',
            'prefer',
            'mt-facilityid',
            'authorization',
            'origin',
            'accept-charset',
            'x-forwarded-host',
            'host',
            'content-encoding',
          ),
          header,
          { maxKeys: 4 },
        ),
        fc.oneof(
          fc.constant(undefined),
          fc.string({ unit: 'binary', maxLength: 30 }),
          fc.constant('{"resourceType":"Appointment","status":"proposed"}'),
        ),
        async (route, headers, body) => {
          const [method, url] = route.split(' ') as ['GET' | 'POST' | 'PUT', string];
          const response = await server.app.inject({
            method,
            url,
            headers: { ...server.authorized, ...headers },
            ...(body === undefined ? {} : { payload: body }),
          });
          const what = `${route} ${JSON.stringify(headers).slice(0, 300)} ${String(body).slice(0, 60)}`;
          expectSafe(response, what);
        },
      ),
      { numRuns: 2_000, seed: 4_005 },
    );
    expect(await appointmentCount()).toBe(before);
  });

  it('URLs the router cannot read: an OperationOutcome too', async () => {
    for (const url of [
      '/fhir/Patient/%zz',
      '/fhir/%E0%A4%A',
      '/fhir/Patient/%',
      `/fhir/Appointment/${'a'.repeat(5_000)}`,
      `/fhir/Slot?start=%`,
      '/fhir/Patient/pat-a%00',
      '/fhir//Patient',
      '/fhir/Patient/pat-a/_history/%FF',
    ]) {
      expectSafe(await server.app.inject({ method: 'GET', url, headers: server.authorized }), url);
    }
  });

  it('still answers and still books after all of that', async () => {
    expect((await api.get('metadata')).statusCode).toBe(200);
    const booked = await api.book(proposal({ time: '10:00', practitioner: 'prac-1' }));
    expect(booked.status).toBe('booked');
  });
});
