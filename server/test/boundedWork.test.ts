/**
 * A hostile client against the real `npm start` process: searches and bodies built to make the
 * server work without end (huge forms, thousands of repeats, JSON nested thousands deep, targets in
 * absolute form). Each is refused at once with an OperationOutcome that says which limit, never a
 * 500; the process survives; and an ordinary read beside three hostile searches stays quick.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OperationOutcome } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_STATEMENT_TIMEOUT_MS, openPostgres, statementTimeoutMs } from '../database/postgresClient';
import { openPglite } from '../database/pgliteClient';
import { pgErrorCode, PG_PROGRAM_LIMIT_EXCEEDED, PG_QUERY_CANCELED } from '../database/sqlClient';
import { LIMITS } from '../http/requestLimits';
import { MAX_SEARCH_TERMS } from '../search/parseSearch';
import { startChildServer, type ChildServer } from './childServer';
import { createTestDatabase } from './databases';
import { startTestServer } from './testServer';

const dataDir = mkdtempSync(join(tmpdir(), 'nz-appointments-bounded-'));
let server: ChildServer;

beforeAll(async () => {
  server = await startChildServer({ dataDir });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const FORM = 'application/x-www-form-urlencoded';

async function send(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: string; headers: Headers; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${server.origin}${path}`, {
    ...init,
    headers: { ...server.headers, ...(init.headers as Record<string, string> | undefined) },
  });
  return {
    status: response.status,
    body: await response.text(),
    headers: response.headers,
    ms: performance.now() - started,
  };
}

function expectOutcome(
  answer: { status: number; body: string; headers: Headers },
  status: number,
  words: RegExp,
): void {
  expect(answer.status, answer.body.slice(0, 300)).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  const outcome = JSON.parse(answer.body) as OperationOutcome;
  expect(outcome.resourceType).toBe('OperationOutcome');
  expect(outcome.issue[0].diagnostics).toMatch(words);
  expect(outcome.issue[0].diagnostics).not.toMatch(/stack|RangeError|prepared statement/i);
}

const hostileForm = Array.from({ length: 9_000 }, () => 'name=a+b+c+d+e+f+g+h+i+j').join('&');

describe('bounded work per request, on the real server', () => {
  it('refuses a 225 KB _search form at once with 413, and stays up', async () => {
    const answer = await send('/fhir/Practitioner/_search', {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: hostileForm,
    });
    expectOutcome(answer, 413, /16 KB/);
    expect((await send('/fhir/metadata')).status).toBe(200);
  });

  it('refuses a URL over 8 KB with 414, and 2,000 repeats of a parameter', async () => {
    expectOutcome(
      await send(`/fhir/Practitioner?${Array.from({ length: 2_000 }, () => 'name=a').join('&')}`),
      414,
      /8 KB/,
    );
    expectOutcome(await send(`/fhir/Patient?name=${'a'.repeat(LIMITS.urlBytes)}`), 414, /longer than 8 KB/);
  });

  it('refuses more than 100 parameters, or 100 values of one (repeats and comma lists), in the query or the form', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `p${i}=a`).join('&');
    expectOutcome(await send(`/fhir/Patient?${many}`), 400, /101 parameters; at most 100/);
    expectOutcome(
      await send('/fhir/Patient/_search', { method: 'POST', headers: { 'content-type': FORM }, body: many }),
      400,
      /at most 100/,
    );
    expectOutcome(
      await send(`/fhir/Patient?_id=${Array.from({ length: 101 }, (_, i) => `p${i}`).join(',')}`),
      400,
      /"_id" has more than 100 values/,
    );
    expectOutcome(
      await send(`/fhir/Patient?${Array.from({ length: 60 }, () => 'name=a').join('&')}&name=${'b,'.repeat(50)}`),
      400,
      /"name" has more than 100 values/,
    );
    // The query and the form together count too.
    const half = Array.from({ length: 60 }, (_, i) => `q${i}=a`).join('&');
    const otherHalf = Array.from({ length: 60 }, (_, i) => `f${i}=a`).join('&');
    expectOutcome(
      await send(`/fhir/Patient/_search?${half}`, {
        method: 'POST',
        headers: { 'content-type': FORM },
        body: otherHalf,
      }),
      400,
      /120 parameters/,
    );
  });

  it(`refuses a search of more than ${MAX_SEARCH_TERMS} terms, and answers one of ${MAX_SEARCH_TERMS}`, async () => {
    const words = (i: number) =>
      Array.from(
        { length: 10 },
        (_, w) => `${String.fromCharCode(97 + ((i + w) % 26))}${String.fromCharCode(97 + ((i * 7 + w) % 26))}`,
      ).join('+');
    const body = (values: number) => Array.from({ length: values }, (_, i) => `name=${words(i)}`).join('&');
    expectOutcome(
      await send('/fhir/Patient/_search', { method: 'POST', headers: { 'content-type': FORM }, body: body(11) }),
      400,
      /110 terms/,
    );
    const allowed = await send('/fhir/Patient/_search', {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: body(10),
    });
    expect(allowed.status, allowed.body.slice(0, 300)).toBe(200);
  });

  it('refuses JSON nested deeper than 32 before parsing it: a _search body 60,000 deep, a booking 10,000 deep', async () => {
    const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    expectOutcome(
      await send('/fhir/Practitioner/_search', { method: 'POST', body: `{"name":${deep(60_000)}}` }),
      400,
      /nested more than 32 levels/,
    );
    expectOutcome(
      await send('/fhir/Appointment', { method: 'POST', body: `{"resourceType":"Appointment","x":${deep(10_000)}}` }),
      400,
      /nested more than 32 levels/,
    );
    // Brackets inside strings are text, not nesting.
    expectOutcome(
      await send('/fhir/Appointment', { method: 'POST', body: `{"a":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}` }),
      400,
      /resourceType/,
    );
    // A JSON _search body of sensible depth is still not a form.
    expectOutcome(
      await send('/fhir/Practitioner/_search', { method: 'POST', body: '{"name":"a"}' }),
      415,
      /x-www-form-urlencoded/,
    );
  });

  it('answers the token endpoint in OAuth JSON when its form is too large', async () => {
    const answer = await send('/auth/token', {
      method: 'POST',
      headers: { 'content-type': FORM, authorization: '' },
      body: hostileForm,
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'invalid_request' });
  });

  // How quick the read stays is a benchmark's question (npm run bench -- hostile), not a timed test's.
  it('answers an ordinary read beside three hostile searches at once, and none of them with a 5xx', async () => {
    const hostile = () =>
      send('/fhir/Practitioner/_search', { method: 'POST', headers: { 'content-type': FORM }, body: hostileForm });
    const worst = () =>
      send('/fhir/Patient/_search', {
        method: 'POST',
        headers: { 'content-type': FORM },
        body: Array.from({ length: 10 }, (_, i) => `name=${'abcdefghij'.slice(0, 1 + (i % 5))}+b+c+d+e+f+g+h+i+j`).join(
          '&',
        ),
      });
    const running = [hostile(), worst(), worst(), hostile()];
    const read = await send('/fhir/Appointment?_count=5');
    expect(read.status).toBe(200);
    for (const answer of await Promise.all(running)) expect(answer.status).toBeLessThan(500);
  });
});

/** A raw HTTP/1.1 request, so the request target can be in absolute form (fetch always sends origin form). */
function rawGet(target: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(server.origin);
  return new Promise((resolveAnswer, reject) => {
    const request = httpRequest({ host: hostname, port, method: 'GET', path: target, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolveAnswer({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the access decision comes from the matched route', () => {
  it('asks for a token for an absolute-form target, as for the usual one', async () => {
    for (const path of ['/fhir/Patient/x', '/fhir/Patient?name=a', '/fhir/Appointment/x/_history/1']) {
      const answer = await rawGet(`${server.origin}${path}`, { accept: 'application/fhir+json' });
      expect(answer.status, answer.body).toBe(401);
      expect(JSON.parse(answer.body)).toMatchObject({ resourceType: 'OperationOutcome' });
    }
    const withToken = await rawGet(`${server.origin}/fhir/Patient?_count=1`, {
      accept: 'application/fhir+json',
      authorization: server.headers.authorization,
    });
    expect(withToken.status, withToken.body).toBe(200);
  });
});

describe('the statement timeout', () => {
  it('stops a statement on PostgreSQL that runs longer than STATEMENT_TIMEOUT_MS, and the connection works on', async () => {
    const database = await createTestDatabase(inject('postgresUrl') as string);
    const previous = process.env.STATEMENT_TIMEOUT_MS;
    process.env.STATEMENT_TIMEOUT_MS = '300';
    const sql = await openPostgres(database.url);
    try {
      const failure = await sql.query('SELECT pg_sleep(5)').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(pgErrorCode(failure)).toBe(PG_QUERY_CANCELED);
      const inTransaction = await sql
        .transaction((tx) => tx.query('SELECT pg_sleep(5)'))
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(pgErrorCode(inTransaction)).toBe(PG_QUERY_CANCELED);
      expect(await sql.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      if (previous === undefined) delete process.env.STATEMENT_TIMEOUT_MS;
      else process.env.STATEMENT_TIMEOUT_MS = previous;
      await sql.close();
      await database.drop();
    }
  });

  it('is 5 seconds unless configured', () => {
    expect(statementTimeoutMs({})).toBe(DEFAULT_STATEMENT_TIMEOUT_MS);
    expect(DEFAULT_STATEMENT_TIMEOUT_MS).toBe(5_000);
    expect(statementTimeoutMs({ STATEMENT_TIMEOUT_MS: '0' })).toBe(0);
  });

  it('is answered 503 with Retry-After and an OperationOutcome in plain words, never a 500', async () => {
    const test = await startTestServer();
    const search = test.opened.store.search.bind(test.opened.store);
    test.opened.store.search = async () => {
      throw Object.assign(new Error('canceling statement due to statement timeout'), { code: PG_QUERY_CANCELED });
    };
    try {
      const answer = await test.app.inject({ method: 'GET', url: '/fhir/Patient?name=a', headers: test.authorized });
      expect(answer.statusCode).toBe(503);
      expect(answer.headers['retry-after']).toBe('5');
      expect(answer.json<OperationOutcome>().issue[0]).toMatchObject({
        code: 'too-costly',
        diagnostics: expect.stringMatching(/took the database too long/),
      });
    } finally {
      test.opened.store.search = search;
      await test.close();
    }
  });
});

describe('the embedded database', () => {
  it('refuses a statement too large for PGlite to take in one message, plainly, rather than losing it', async () => {
    const sql = await openPglite(undefined);
    try {
      const huge = `SELECT 1 WHERE ${Array.from({ length: 2_000 }, (_, i) => `$1::text <> 'value ${i}'`).join(' AND ')}`;
      const failure = await sql.query(huge, ['x']).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(pgErrorCode(failure)).toBe(PG_PROGRAM_LIMIT_EXCEEDED);
      expect(await sql.query<{ one: number }>('SELECT $1::int AS one', [1])).toEqual([{ one: 1 }]);
    } finally {
      await sql.close();
    }
  });
});
