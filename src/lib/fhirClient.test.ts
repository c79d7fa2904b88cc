import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFhirClient, FhirRequestError } from './fhirClient';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('createFhirClient', () => {
  it('resolves a relative base against the page, speaks FHIR JSON and names the facility', async () => {
    let seen: Request | undefined;
    server.use(
      http.post('http://clinic.test/fhir/Appointment', ({ request }) => {
        seen = request;
        return HttpResponse.json(
          { resourceType: 'Appointment', id: 'a1' },
          { status: 201, headers: { ETag: 'W/"1"' } },
        );
      }),
    );
    const client = createFhirClient('/fhir', 'F0K068-B', 'http://clinic.test/book?patient=1');
    const created = await client.create({ resourceType: 'Appointment', status: 'proposed', participant: [] });
    expect(created).toEqual({ resource: { resourceType: 'Appointment', id: 'a1' }, etag: 'W/"1"', status: 201 });
    expect(seen?.headers.get('Accept')).toBe('application/fhir+json');
    expect(seen?.headers.get('If-None-Exist')).toBeNull();
    expect(seen?.headers.get('Content-Type')).toBe('application/fhir+json');
    expect(seen?.headers.get('mt-facilityid')).toBe('F0K068-B');
  });

  it('sends no facility header when none is configured, and If-Match on update', async () => {
    let seen: Request | undefined;
    server.use(
      http.put('http://other.test/r4/Appointment/a1', ({ request }) => {
        seen = request;
        return HttpResponse.json({ resourceType: 'Appointment', id: 'a1' });
      }),
    );
    const client = createFhirClient('http://other.test/r4', null, 'http://clinic.test/');
    await client.update({ resourceType: 'Appointment', id: 'a1', status: 'cancelled', participant: [] }, 'W/"4"');
    expect(seen?.headers.has('mt-facilityid')).toBe(false);
    expect(seen?.headers.get('If-Match')).toBe('W/"4"');
  });

  it('revalidates a polled search with If-None-Match and gives back the last Bundle on 304; a plain search never does', async () => {
    const seen: Array<string | null> = [];
    let version = 1;
    server.use(
      http.get('http://clinic.test/fhir/Appointment', ({ request }) => {
        const asked = request.headers.get('If-None-Match');
        seen.push(asked);
        const etag = `W/"b-${version}"`;
        if (asked === etag) return new HttpResponse(null, { status: 304, headers: { ETag: etag } });
        return HttpResponse.json(
          { resourceType: 'Bundle', type: 'searchset', total: version },
          { headers: { ETag: etag } },
        );
      }),
    );
    const client = createFhirClient('/fhir', null, 'http://clinic.test/');
    const first = await client.search('Appointment', [['date', '2026-11-30']], undefined, { revalidate: true });
    const unchanged = await client.search('Appointment', [['date', '2026-11-30']], undefined, { revalidate: true });
    expect(unchanged).toBe(first);
    version = 2;
    const changed = await client.search('Appointment', [['date', '2026-11-30']], undefined, { revalidate: true });
    expect(changed.total).toBe(2);
    await client.search('Appointment', [['date', '2026-11-30']]);
    expect(seen).toEqual([null, 'W/"b-1"', 'W/"b-1"', null]);
  });

  it('turns an OperationOutcome into a typed error with the status and issues', async () => {
    const issue = {
      severity: 'error',
      code: 'conflict',
      diagnostics: 'That slot is no longer free.',
      expression: ['Appointment.slot[0]'],
    };
    server.use(
      http.post('http://clinic.test/fhir/Appointment', () =>
        HttpResponse.json({ resourceType: 'OperationOutcome', issue: [issue] }, { status: 409 }),
      ),
    );
    const client = createFhirClient('/fhir', null, 'http://clinic.test/');
    const failure = await client
      .create({ resourceType: 'Appointment', status: 'proposed', participant: [] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FhirRequestError);
    expect(failure).toMatchObject({
      status: 409,
      issues: [issue],
      message: 'That clashes with something already booked.',
    });
  });

  it('reports a server that does not answer as status 0, and a gateway page without an outcome by its status', async () => {
    server.use(
      http.get('http://clinic.test/fhir/Patient', () => HttpResponse.error()),
      http.get('http://clinic.test/fhir/Slot', () => new HttpResponse('<html>Bad gateway</html>', { status: 502 })),
    );
    const client = createFhirClient('/fhir', null, 'http://clinic.test/');
    await expect(client.search('Patient', [['name', 'x']])).rejects.toMatchObject({
      status: 0,
      isNetworkFailure: true,
    });
    await expect(client.search('Slot', [])).rejects.toMatchObject({ status: 502, issues: [] });
  });
});

describe('createFhirClient beyond the page', () => {
  it('sends JSON Patch with its own media type and If-Match, and an instance operation as Parameters', async () => {
    const seen: Array<{ method: string; url: string; type: string | null; ifMatch: string | null; body: unknown }> = [];
    const record = async ({ request }: { request: Request }) => {
      seen.push({
        method: request.method,
        url: request.url,
        type: request.headers.get('Content-Type'),
        ifMatch: request.headers.get('If-Match'),
        body: await request.json(),
      });
      return HttpResponse.json({ resourceType: 'Appointment', id: 'a1' }, { headers: { ETag: 'W/"3"' } });
    };
    server.use(
      http.patch('http://clinic.test/fhir/Appointment/a1', record),
      http.post('http://clinic.test/fhir/Appointment/a1/$cancel', record),
    );
    const client = createFhirClient('/fhir', null, 'http://clinic.test/');
    const patched = await client.patch(
      'Appointment',
      'a1',
      [{ op: 'replace', path: '/status', value: 'arrived' }],
      'W/"2"',
    );
    await client.operation('Appointment', 'a1', 'cancel', {
      resourceType: 'Parameters',
      parameter: [{ name: 'reason', valueCoding: { code: 'pat' } }],
    });
    expect(patched.etag).toBe('W/"3"');
    expect(seen).toEqual([
      {
        method: 'PATCH',
        url: 'http://clinic.test/fhir/Appointment/a1',
        type: 'application/json-patch+json',
        ifMatch: 'W/"2"',
        body: [{ op: 'replace', path: '/status', value: 'arrived' }],
      },
      {
        method: 'POST',
        url: 'http://clinic.test/fhir/Appointment/a1/$cancel',
        type: 'application/fhir+json',
        ifMatch: null,
        body: { resourceType: 'Parameters', parameter: [{ name: 'reason', valueCoding: { code: 'pat' } }] },
      },
    ]);
  });

  it('reads the CapabilityStatement from metadata', async () => {
    server.use(
      http.get('http://clinic.test/fhir/metadata', () =>
        HttpResponse.json({ resourceType: 'CapabilityStatement', status: 'active' }),
      ),
    );
    const client = createFhirClient('/fhir', null, 'http://clinic.test/');
    expect(await client.capabilities()).toMatchObject({ resourceType: 'CapabilityStatement' });
  });

  it('asks for the CapabilityStatement once for every caller, and again after a failure', async () => {
    let asked = 0;
    server.use(
      http.get('http://clinic.test/fhir/metadata', () => {
        asked += 1;
        return asked === 1
          ? HttpResponse.json({ resourceType: 'OperationOutcome', issue: [] }, { status: 503 })
          : HttpResponse.json({ resourceType: 'CapabilityStatement', status: 'active' });
      }),
    );
    const client = createFhirClient('/fhir', null, 'http://clinic.test/');
    await expect(client.capabilities()).rejects.toMatchObject({ status: 503 });
    const [first, second] = await Promise.all([client.capabilities(), client.capabilities()]);
    expect(first).toBe(second);
    await client.capabilities();
    expect(asked).toBe(2);
  });
});
