/**
 * The HTTP side of the FHIR API: Prefer, versions and ETags, content negotiation, body limits,
 * and that no input, however odd, gets a 500.
 */
import fc from 'fast-check';
import type { Appointment, OperationOutcome } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, expectOutcome, refusedWithoutChange, type Api } from './api';
import { proposal } from './fixtures';
import { DEFAULT_PRACTICE_RULES } from '../../domain/practiceRules';
import { startTestServer, type TestServer } from './testServer';

let server: TestServer;
let api: Api;

beforeAll(async () => {
  server = await startTestServer();
  api = apiOf(server);
});
afterAll(() => server.close());

describe('Prefer: return=', () => {
  it('minimal: 201 with Location and ETag and no body', async () => {
    const response = await api.post('Appointment', proposal({ time: '09:00' }), { prefer: 'return=minimal' });
    expect(response.statusCode).toBe(201);
    expect(response.body).toBe('');
    expect(response.headers.etag).toBe('W/"1"');
    const location = response.headers.location as string;
    expect(location).toMatch(/^http:\/\/localhost:80\/fhir\/Appointment\/[\w-]+\/_history\/1$/);
    const read = await api.get(location.replace(/^.*\/fhir\//, ''));
    expect(read.statusCode).toBe(200);
    expect(read.json<Appointment>().status).toBe('booked');
  });

  it('representation (and no Prefer at all): the stored resource', async () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['09:15', { prefer: 'return=representation' }],
      ['09:30', {}],
    ];
    for (const [time, headers] of cases) {
      const response = await api.post('Appointment', proposal({ time }), headers);
      expect(response.statusCode).toBe(201);
      expect(response.json<Appointment>()).toMatchObject({
        resourceType: 'Appointment',
        status: 'booked',
        meta: { versionId: '1' },
      });
    }
  });

  it('OperationOutcome: an informational outcome instead of the resource', async () => {
    const response = await api.post('Appointment', proposal({ time: '09:45' }), { prefer: 'return=OperationOutcome' });
    expect(response.statusCode).toBe(201);
    expect(response.json<OperationOutcome>().issue[0]).toMatchObject({
      severity: 'information',
      code: 'informational',
    });
  });

  it('uses PUBLIC_BASE_URL for Location when it is set', async () => {
    const behindProxy = await startTestServer({
      now: () => new Date('2030-03-03T19:00:00Z'),
      server: { publicBaseUrl: 'https://clinic.example.nz/fhir' },
    });
    try {
      const response = await apiOf(behindProxy).post('Appointment', proposal({ time: '11:45' }), {
        prefer: 'return=minimal',
      });
      expect(response.headers.location).toMatch(
        /^https:\/\/clinic\.example\.nz\/fhir\/Appointment\/[\w-]+\/_history\/1$/,
      );
    } finally {
      await behindProxy.close();
    }
  });
});

describe('versions', () => {
  it('each write bumps meta.versionId and lastUpdated; reads and vreads carry the ETag', async () => {
    const booked = await api.book(proposal({ time: '10:00' }));
    const read = await api.get(`Appointment/${booked.id}`);
    expect(read.headers.etag).toBe('W/"1"');
    expect(read.headers['last-modified']).toBe(new Date(booked.meta?.lastUpdated as string).toUTCString());
    // Quoted without W/ is the same version.
    const cancelled = await api.put(
      `Appointment/${booked.id}`,
      { ...booked, status: 'cancelled' },
      { 'if-match': '"1"' },
    );
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json<Appointment>().meta?.versionId).toBe('2');
    const first = await api.get(`Appointment/${booked.id}/_history/1`);
    expect(first.headers.etag).toBe('W/"1"');
    expect(first.json<Appointment>().status).toBe('booked');
    expectOutcome(await api.get(`Appointment/${booked.id}/_history/3`), 404, 'not-found');
    expectOutcome(await api.get(`Appointment/${booked.id}/_history/x`), 404, 'not-found');
  });

  it('an If-Match that names no version is a 412, not a 500', async () => {
    const booked = await api.book(proposal({ time: '10:15' }));
    for (const ifMatch of ['*garbage*', 'W/""', '"1', '']) {
      await refusedWithoutChange(
        api,
        () => api.put(`Appointment/${booked.id}`, { ...booked, status: 'cancelled' }, { 'if-match': ifMatch }),
        412,
        'conflict',
      );
    }
  });
});

describe('content negotiation and limits', () => {
  it('413 for a body over the limit, and nothing is booked', async () => {
    const body = { ...proposal({ time: '10:30' }), comment: 'x'.repeat(300 * 1024) };
    await refusedWithoutChange(api, () => api.post('Appointment', body), 413, 'too-long');
  });

  it('415 for a body that is not JSON', async () => {
    await refusedWithoutChange(
      api,
      () => api.post('Appointment', '<Appointment/>', { 'content-type': 'application/fhir+xml' }),
      415,
      'not-supported',
    );
    await refusedWithoutChange(
      api,
      () => api.post('Appointment', JSON.stringify(proposal({ time: '10:30' })), { 'content-type': 'text/plain' }),
      415,
      'not-supported',
    );
  });

  it('accepts application/json as well as application/fhir+json', async () => {
    const response = await api.post('Appointment', proposal({ time: '10:30' }), {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(response.statusCode, response.body).toBe(201);
  });

  it('406 when the client accepts only XML', async () => {
    expectOutcome(await api.get('Patient/pat-a', { accept: 'application/fhir+xml' }), 406, 'not-supported');
    expectOutcome(await api.get('Patient/pat-a?_format=xml'), 406, 'not-supported');
    expect((await api.get('Patient/pat-a?_format=json')).statusCode).toBe(200);
  });

  it('404 with an OperationOutcome for unknown paths, types and ids', async () => {
    expectOutcome(await api.get('Patient/no-such-patient'), 404, 'not-found');
    expectOutcome(await api.get('Observation/1'), 404, ['not-found', 'not-supported']);
    expectOutcome(await api.get('Patient/pat-a/extra/bits/here'), 404, 'not-found');
  });
});

describe("the browser app's configuration", () => {
  it("/config.json says which FHIR server, facility and time zone to use, and the patients' cut-off", async () => {
    const appConfig = {
      fhirBaseUrl: 'https://fhir.example.nz/r4',
      facilityId: 'FZZ999-B',
      timeZone: 'Pacific/Chatham',
    };
    const practiceRules = { ...DEFAULT_PRACTICE_RULES, cancelCutoffMinutes: 240 };
    const otherClinic = await startTestServer({ server: { timeZone: 'Pacific/Chatham', appConfig, practiceRules } });
    try {
      const response = await otherClinic.app.inject({ method: 'GET', url: '/config.json' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ ...appConfig, patientChangeCutoffMinutes: 240 });
      expect(response.headers['cache-control']).toBe('no-cache');
    } finally {
      await otherClinic.close();
    }
  });

  it('requests that carry mt-facilityid are served as usual', async () => {
    expect((await api.get('Patient/pat-a', { 'mt-facilityid': 'FZZ999-B' })).statusCode).toBe(200);
  });
});

describe('never a 500 for bad input', () => {
  const odd = fc.oneof(
    fc.jsonValue(),
    fc.string(),
    fc.constant(null),
    fc.constant({ reference: 'Patient/pat-a' }),
    fc.array(fc.jsonValue(), { maxLength: 3 }),
  );
  const fields = [
    'resourceType',
    'status',
    'start',
    'end',
    'slot',
    'participant',
    'id',
    'meta',
    'comment',
    'minutesDuration',
    'created',
  ];

  it('for bookings with any element replaced by any JSON', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fields),
        odd,
        fc.constantFrom('09:00', '11:30'),
        async (field, value, time) => {
          const response = await api.post('Appointment', { ...proposal({ time, patient: 'pat-b' }), [field]: value });
          expect(response.statusCode, response.body).toBeLessThan(500);
          if (response.statusCode >= 400) expect(response.json().resourceType).toBe('OperationOutcome');
        },
      ),
      { numRuns: 150, seed: 20300304 },
    );
  });

  it('for participants and slots with odd members', async () => {
    await fc.assert(
      fc.asyncProperty(odd, odd, async (participant, slot) => {
        const body = {
          ...proposal({ time: '11:30', patient: 'pat-b' }),
          participant: [{ actor: { reference: 'Patient/pat-a' }, status: 'accepted' }, participant],
          slot: [slot],
        };
        const response = await api.post('Appointment', body);
        expect(response.statusCode, response.body).toBeLessThan(500);
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('for cancellations with any element replaced by any JSON', async () => {
    const booked = await api.book(proposal({ time: '11:15', patient: 'pat-b' }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), odd, async (field, value) => {
        const response = await api.put(`Appointment/${booked.id}`, { ...booked, status: 'cancelled', [field]: value });
        expect(response.statusCode, response.body).toBeLessThan(500);
      }),
      { numRuns: 100, seed: 11 },
    );
  });

  it('for search strings of any shape', async () => {
    const names = [
      'patient',
      'date',
      'status',
      '_count',
      '_include',
      'patient.identifier',
      'identifier',
      'name',
      'birthdate',
      'start',
      '_id',
      'slot',
      'schedule.actor.identifier',
      'actor',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('Appointment', 'Patient', 'Slot', 'Schedule', 'Practitioner', 'Location'),
        fc.constantFrom(...names),
        fc.string({ maxLength: 40 }),
        async (type, name, value) => {
          const response = await api.get(`${type}?${name}=${encodeURIComponent(value)}`);
          expect(response.statusCode, `${type}?${name}=${value}: ${response.body}`).toBeLessThan(500);
        },
      ),
      { numRuns: 200, seed: 3 },
    );
    for (const raw of [
      'Appointment?date=%ZZ',
      'Appointment?_count=1&_count=2&_count=x',
      'Patient?name[]=a',
      'Appointment?patient=a,,b',
      'Slot?start=ge2030-03-05T25:00',
    ]) {
      expect((await api.get(raw)).statusCode, raw).toBeLessThan(500);
    }
  });
});
