/**
 * Sign-in enforced on every FHIR request, through the HTTP API: what each role may and may not do,
 * that refusals change nothing, and that a token for patient A never returns patient B's data,
 * however the request is written.
 */
import type { Appointment, Bundle, Resource, Schedule } from 'fhir/r4';
import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOutcome } from './api';
import { NOW, proposal } from './fixtures';
import { bearer, PATIENT_A, PATIENT_B, RECEPTION, signIn } from './authHarness';
import { startTestServer, machineToken, type TestServer } from './testServer';
import { FHIR_HEADERS } from './testServer';

let server: TestServer;
let clock = NOW;
let system: string;
let staff: string;
let patientA: string;
let patientB: string;
/** Booked for each patient before the tests, by reception. */
let appointmentOfA: Appointment;
let appointmentOfB: Appointment;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';

function call(
  method: Method,
  url: string,
  token: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return server.app.inject({
    method,
    url: `/fhir/${url}`,
    headers: { ...(token ? bearer(token) : FHIR_HEADERS), ...headers },
    ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

async function bundle(url: string, token: string): Promise<Bundle> {
  const response = await call('GET', url, token);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Bundle>();
}

function ids(found: Bundle): string[] {
  return (found.entry ?? []).map((entry) => `${entry.resource?.resourceType}/${entry.resource?.id}`).sort();
}

/** Every appointment and patient as stored, versions included, seen with full access. */
async function everything(): Promise<Resource[]> {
  const appointments = await bundle('Appointment?_count=1000', system);
  const patients = await bundle('Patient?_count=1000', system);
  const slots = await bundle('Slot?start=ge2000-01-01&_count=1000', system);
  return [...(appointments.entry ?? []), ...(patients.entry ?? []), ...(slots.entry ?? [])].map(
    (entry) => entry.resource as Resource,
  );
}

/** The request must be refused with this status, and nothing stored may differ afterwards. */
async function refusedAndUnchanged(
  status: number,
  request: () => Promise<LightMyRequestResponse>,
  code: string,
): Promise<void> {
  const before = await everything();
  expectOutcome(await request(), status, code);
  expect(await everything()).toEqual(before);
}

beforeAll(async () => {
  server = await startTestServer({ now: () => clock });
  system = await machineToken(server.app);
  staff = (await signIn(server.app, { staff: RECEPTION })).tokens.access_token;
  patientA = (await signIn(server.app, { patient: PATIENT_A })).tokens.access_token;
  patientB = (await signIn(server.app, { patient: PATIENT_B })).tokens.access_token;
  const booked = async (body: unknown) => {
    const response = await call('POST', 'Appointment', staff, body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Appointment>();
  };
  appointmentOfA = await booked(proposal({ patient: 'pat-a', time: '09:00' }));
  appointmentOfB = await booked(
    proposal({ patient: 'pat-b', practitioner: 'prac-2', location: 'loc-2', time: '09:00' }),
  );
  // A schedule with a patient among its actors, so `Schedule:actor` could reach a patient.
  const schedule: Schedule = {
    resourceType: 'Schedule',
    id: 'sched-home-visits',
    active: true,
    actor: [{ reference: 'Practitioner/prac-1' }, { reference: 'Patient/pat-b' }],
  };
  await server.opened.store.bulkLoad([schedule], NOW);
});
afterAll(async () => server.close());

describe('without a valid token', () => {
  it.each([
    ['GET', 'Patient'],
    ['GET', 'Patient/pat-a'],
    ['GET', 'Appointment?patient=pat-a'],
    ['POST', 'Appointment/_search'],
    ['GET', 'Slot'],
    ['GET', 'Observation'],
    ['DELETE', 'Appointment/x'],
  ] as const)('%s %s is 401 with WWW-Authenticate and an OperationOutcome', async (method, url) => {
    const response = await call(method, url, undefined);
    expectOutcome(response, 401, 'login');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="nz-appointments"');
  });

  it('a booking without a token is 401 and books nothing', async () => {
    await refusedAndUnchanged(401, () => call('POST', 'Appointment', undefined, proposal({ time: '10:00' })), 'login');
  });

  it('a cancellation without a token is 401 and cancels nothing', async () => {
    await refusedAndUnchanged(
      401,
      () => call('PUT', `Appointment/${appointmentOfA.id}`, undefined, { ...appointmentOfA, status: 'cancelled' }),
      'login',
    );
  });

  it('keeps the CapabilityStatement and SMART configuration public', async () => {
    expect((await call('GET', 'metadata', undefined)).statusCode).toBe(200);
    expect((await call('GET', '.well-known/smart-configuration', undefined)).statusCode).toBe(200);
  });

  it('refuses a token whose payload was changed (tampered) with 401 invalid_token', async () => {
    const [header, payload, signature] = patientA.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, patient: 'pat-b', scope: 'system/*.cruds' })).toString('base64url')}.${signature}`;
    const response = await call('GET', 'Patient/pat-b', forged);
    expectOutcome(response, 401, 'login');
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="nz-appointments", error="invalid_token"/);
  });

  it('refuses a token signed with another key, one with alg none, and garbage', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const claims = decodeJwt(system);
    const otherKey = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'x' })
      .sign(privateKey);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${system.split('.')[1]}.`;
    for (const token of [otherKey, none, 'not-a-token', `${system}x`]) {
      const response = await call('GET', 'Slot', token);
      expectOutcome(response, 401, 'login');
      expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    }
  });

  it('refuses an expired token with 401 expired, and accepts it until then', async () => {
    clock = new Date(NOW.getTime() + 899_000);
    try {
      expect((await call('GET', 'Slot', system)).statusCode).toBe(200);
      clock = new Date(NOW.getTime() + 901_000);
      const response = await call('GET', 'Slot', system);
      expectOutcome(response, 401, 'expired');
      expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    } finally {
      clock = NOW;
    }
  });

  it('refuses a token issued for another server (audience) with 401', async () => {
    const response = await call('GET', 'Slot', system, undefined, { host: '127.0.0.1:9999' });
    expectOutcome(response, 401, 'login');
    expect(response.json().issue[0].diagnostics).toMatch(/another server/);
  });
});

describe('scopes', () => {
  it('a token without the letter for an interaction is 403 insufficient_scope, and that refusal changes nothing', async () => {
    const readOnly = (await signIn(server.app, { staff: RECEPTION }, { scope: 'user/*.rs' })).tokens.access_token;
    expect((await call('GET', 'Appointment', readOnly)).statusCode).toBe(200);
    const response = await call('POST', 'Appointment', readOnly, proposal({ time: '10:15' }));
    expectOutcome(response, 403, 'forbidden');
    expect(response.headers['www-authenticate']).toMatch(/error="insufficient_scope"/);
    await refusedAndUnchanged(
      403,
      () => call('PUT', `Appointment/${appointmentOfA.id}`, readOnly, { ...appointmentOfA, status: 'cancelled' }),
      'forbidden',
    );
  });

  it('a token for some types only is 403 on the others, for reads, searches and includes', async () => {
    const slotsOnly = await machineToken(server.app, 'system/Slot.rs system/Appointment.s');
    expect((await call('GET', 'Slot', slotsOnly)).statusCode).toBe(200);
    expectOutcome(await call('GET', 'Patient/pat-a', slotsOnly), 403, 'forbidden');
    expectOutcome(await call('GET', 'Practitioner', slotsOnly), 403, 'forbidden');
    expectOutcome(await call('GET', `Appointment/${appointmentOfA.id}`, slotsOnly), 403, 'forbidden');
    const withIncludes = await bundle(
      'Appointment?_include=Appointment:patient&_include=Appointment:practitioner',
      slotsOnly,
    );
    expect(ids(withIncludes).filter((id) => !id.startsWith('Appointment/'))).toEqual([]);
  });
});

describe('staff and system tokens', () => {
  it.each([
    ['staff', () => staff],
    ['system', () => system],
  ])('%s may read and search every patient and appointment', async (_role, token) => {
    expect(ids(await bundle('Patient', token()))).toEqual(['Patient/pat-a', 'Patient/pat-b']);
    expect(ids(await bundle('Appointment', token()))).toEqual(
      [`Appointment/${appointmentOfA.id}`, `Appointment/${appointmentOfB.id}`].sort(),
    );
    expect((await call('GET', 'Patient/pat-b', token())).statusCode).toBe(200);
  });

  it('staff may book for any patient and cancel it', async () => {
    const booked = await call('POST', 'Appointment', staff, proposal({ patient: 'pat-b', time: '11:00' }));
    expect(booked.statusCode, booked.body).toBe(201);
    const appointment = booked.json<Appointment>();
    const cancelled = await call('PUT', `Appointment/${appointment.id}`, staff, {
      ...appointment,
      status: 'cancelled',
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
  });
});

describe('a patient token', () => {
  it('finds itself and its own appointments with a plain search', async () => {
    expect(ids(await bundle('Patient', patientA))).toEqual(['Patient/pat-a']);
    expect(ids(await bundle('Appointment', patientA))).toContain(`Appointment/${appointmentOfA.id}`);
    expect(ids(await bundle('Appointment', patientA))).not.toContain(`Appointment/${appointmentOfB.id}`);
  });

  it('reads its own Patient, and vread of it', async () => {
    expect((await call('GET', 'Patient/pat-a', patientA)).json().id).toBe('pat-a');
    expect((await call('GET', 'Patient/pat-a/_history/1', patientA)).statusCode).toBe(200);
  });

  it('is refused another patient, by read or vread, the same whether that patient exists or not', async () => {
    const existing = await call('GET', 'Patient/pat-b', patientA);
    const missing = await call('GET', 'Patient/pat-nobody', patientA);
    expectOutcome(existing, 403, 'forbidden');
    expectOutcome(missing, 403, 'forbidden');
    expect(missing.body).toBe(existing.body);
    expectOutcome(await call('GET', 'Patient/pat-b/_history/1', patientA), 403, 'forbidden');
    expect((await call('HEAD', 'Patient/pat-b', patientA)).statusCode).toBe(403);
  });

  it.each([
    'Patient',
    'Patient?_id=pat-b',
    'Patient?_id=pat-a,pat-b',
    'Patient?identifier=ZBN77VL',
    'Patient?name=Sione',
    'Patient?birthdate=1990-01-02',
    'Patient?_count=1000&_offset=0',
  ])('finds only itself with %s', async (query) => {
    const found = await bundle(query, patientA);
    expect(
      ids(found).every((id) => id === 'Patient/pat-a'),
      ids(found).join(),
    ).toBe(true);
    expect(found.total).toBe(ids(found).length);
  });

  it.each([
    'Appointment',
    'Appointment?patient=pat-b',
    'Appointment?patient=Patient/pat-b',
    'Appointment?patient=pat-a,pat-b',
    'Appointment?patient.identifier=ZBN77VL',
    'Appointment?patient.identifier=https://standards.digital.health.nz/ns/nhi-id|ZBN77VL',
    'Appointment?actor=Patient/pat-b',
    'Appointment?actor=Practitioner/prac-2',
    'Appointment?practitioner=prac-2',
    'Appointment?location=loc-2',
    'Appointment?slot=slot-prac-2-0900',
    'Appointment?status=booked,cancelled&date=ge2000-01-01',
    'Appointment?_include=Appointment:patient',
    'Appointment?_include=Appointment:actor',
    'Appointment?_include=Appointment:*',
    'Appointment?_include=Appointment:actor:Patient&patient=pat-b',
  ])('finds only its own appointments and itself with %s', async (query) => {
    const found = await bundle(query, patientA);
    const appointmentIds = (found.entry ?? [])
      .filter((entry) => entry.resource?.resourceType === 'Appointment')
      .map((entry) => entry.resource as Appointment);
    expect(
      appointmentIds.every((appointment) =>
        appointment.participant.some((participant) => participant.actor?.reference === 'Patient/pat-a'),
      ),
    ).toBe(true);
    expect(found.total).toBe(appointmentIds.length);
    expect(JSON.stringify(found.entry ?? [])).not.toMatch(/pat-b|ZBN77VL|Sione/);
  });

  it('finds nothing of another patient by _id, directly or with POST _search', async () => {
    expect(ids(await bundle(`Appointment?_id=${appointmentOfB.id}`, patientA))).toEqual([]);
    const posted = await server.app.inject({
      method: 'POST',
      url: '/fhir/Appointment/_search',
      headers: { ...bearer(patientA), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_id=${appointmentOfB.id}&patient=pat-b&_include=Appointment:patient`,
    });
    expect(posted.statusCode, posted.body).toBe(200);
    expect(posted.json<Bundle>().total).toBe(0);
    expect(posted.json<Bundle>().entry ?? []).toEqual([]);
    const patients = await server.app.inject({
      method: 'POST',
      url: '/fhir/Patient/_search?_id=pat-b',
      headers: { ...bearer(patientA), 'content-type': 'application/x-www-form-urlencoded' },
      payload: '_id=pat-b',
    });
    expect(patients.json<Bundle>().total).toBe(0);
  });

  it('finds its own appointment with the same queries', async () => {
    expect(ids(await bundle(`Appointment?_id=${appointmentOfA.id}&_include=Appointment:patient`, patientA))).toEqual([
      `Appointment/${appointmentOfA.id}`,
      'Patient/pat-a',
    ]);
    expect(ids(await bundle('Appointment?patient.identifier=ZAC5361', patientA))).toEqual([
      `Appointment/${appointmentOfA.id}`,
    ]);
  });

  it("reads its own appointment and vread of it, but not another patient's, existing or not", async () => {
    expect((await call('GET', `Appointment/${appointmentOfA.id}`, patientA)).statusCode).toBe(200);
    expect((await call('GET', `Appointment/${appointmentOfA.id}/_history/1`, patientA)).statusCode).toBe(200);
    const other = await call('GET', `Appointment/${appointmentOfB.id}`, patientA);
    expectOutcome(other, 403, 'forbidden');
    expectOutcome(await call('GET', `Appointment/${appointmentOfB.id}/_history/1`, patientA), 403, 'forbidden');
    expect((await call('GET', 'Appointment/no-such-appointment', patientA)).body).toBe(other.body);
  });

  it('may read the clinic: practitioners, locations, schedules and slots', async () => {
    for (const query of [
      'Practitioner',
      'Location',
      'Schedule',
      'Slot',
      'Practitioner/prac-2',
      'Location/loc-2',
      'Schedule/sched-prac-2',
      'Slot/slot-prac-2-0915',
    ]) {
      expect((await call('GET', query, patientA)).statusCode, query).toBe(200);
    }
  });

  it('never gets another patient through Schedule:actor or Slot includes', async () => {
    const schedules = await bundle('Schedule?_include=Schedule:actor', patientA);
    expect(ids(schedules)).toContain('Schedule/sched-home-visits');
    expect(ids(schedules)).toContain('Practitioner/prac-1');
    expect(ids(schedules).filter((id) => id.startsWith('Patient/'))).toEqual([]);
    const withStaff = await bundle('Schedule?_include=Schedule:actor', staff);
    expect(ids(withStaff)).toContain('Patient/pat-b');
  });

  it('books for itself', async () => {
    const response = await call('POST', 'Appointment', patientA, proposal({ patient: 'pat-a', time: '10:30' }));
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<Appointment>().participant[0].actor?.reference).toBe('Patient/pat-a');
  });

  it('is refused a booking for another patient (403) and nothing changes', async () => {
    await refusedAndUnchanged(
      403,
      () => call('POST', 'Appointment', patientA, proposal({ patient: 'pat-b', time: '10:45' })),
      'forbidden',
    );
  });

  it('is refused a booking that adds another patient, or names a patient by identifier only', async () => {
    const twoPatients = proposal({ patient: 'pat-a', time: '10:45' });
    twoPatients.participant.push({ actor: { reference: 'Patient/pat-b' }, status: 'accepted' });
    await refusedAndUnchanged(403, () => call('POST', 'Appointment', patientA, twoPatients), 'forbidden');
    const byIdentifier = proposal({ patient: 'pat-a', time: '10:45' });
    byIdentifier.participant.push({
      actor: { identifier: { system: 'https://standards.digital.health.nz/ns/nhi-id', value: 'ZBN77VL' } },
      status: 'accepted',
    } as never);
    await refusedAndUnchanged(403, () => call('POST', 'Appointment', patientA, byIdentifier), 'forbidden');
  });

  it('cancels its own appointment', async () => {
    const booked = (
      await call('POST', 'Appointment', patientB, proposal({ patient: 'pat-b', time: '11:15' }))
    ).json<Appointment>();
    const response = await call('PUT', `Appointment/${booked.id}`, patientB, { ...booked, status: 'cancelled' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<Appointment>().status).toBe('cancelled');
  });

  it("is refused cancelling another patient's appointment (403) and nothing changes", async () => {
    await refusedAndUnchanged(
      403,
      () => call('PUT', `Appointment/${appointmentOfB.id}`, patientA, { ...appointmentOfB, status: 'cancelled' }),
      'forbidden',
    );
    await refusedAndUnchanged(
      403,
      () =>
        call('PUT', `Appointment/${appointmentOfB.id}`, patientA, {
          ...appointmentOfB,
          participant: appointmentOfA.participant,
          status: 'cancelled',
        }),
      'forbidden',
    );
  });

  it('is refused types outside its scopes', async () => {
    expectOutcome(await call('GET', 'Observation', patientA), 403, 'forbidden');
  });
});

describe('a staff token launched on one patient', () => {
  it('still reaches everything through its user scopes, and tells the app which patient is open', async () => {
    const launch = (
      await server.app.inject({
        method: 'POST',
        url: '/auth/launch',
        headers: { ...bearer(staff), 'content-type': 'application/json' },
        payload: '{"patient":"pat-b"}',
      })
    ).json().launch;
    const { tokens } = await signIn(server.app, { staff: RECEPTION }, { scope: 'launch user/*.cruds', launch });
    expect(tokens.patient).toBe('pat-b');
    expect(ids(await bundle('Patient', tokens.access_token))).toEqual(['Patient/pat-a', 'Patient/pat-b']);
  });

  it('with patient scopes only, is limited to the launched patient', async () => {
    const launch = (
      await server.app.inject({
        method: 'POST',
        url: '/auth/launch',
        headers: { ...bearer(staff), 'content-type': 'application/json' },
        payload: '{"patient":"pat-b"}',
      })
    ).json().launch;
    const { tokens } = await signIn(server.app, { staff: RECEPTION }, { scope: 'launch patient/*.rs', launch });
    expect(tokens.scope).toBe('patient/*.rs launch');
    expect(ids(await bundle('Patient', tokens.access_token))).toEqual(['Patient/pat-b']);
    expectOutcome(await call('GET', 'Patient/pat-a', tokens.access_token), 403, 'forbidden');
    expectOutcome(
      await call('POST', 'Appointment', tokens.access_token, proposal({ patient: 'pat-b', time: '11:30' })),
      403,
      'forbidden',
    );
  });
});
