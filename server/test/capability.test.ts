/**
 * GET /fhir/metadata tells the truth: everything it claims works, what it leaves out is refused,
 * and it claims everything domain.md asks for.
 */
import type { CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, expectOutcome, type Api } from './api';
import { startTestServer, type TestServer } from './testServer';

let server: TestServer;
let api: Api;
let statement: CapabilityStatement;
let resources: CapabilityStatementRestResource[];

/** A known resource of each type in the fixtures. */
const KNOWN_ID: Record<string, string> = {
  Patient: 'pat-a',
  Practitioner: 'prac-1',
  Location: 'loc-1',
  Schedule: 'sched-prac-1',
  Slot: 'slot-prac-1-0900',
};

/** A well-formed value for each search parameter type. */
const SAMPLE: Record<string, string> = { token: 'booked', string: 'a', date: 'ge2030-03-01', reference: 'x-1' };

/** What domain.md's table (and its Appointment search) asks each type to support. */
const DOMAIN_PARAMETERS: Record<string, string[]> = {
  Patient: ['name', 'family', 'given', 'birthdate', 'identifier'],
  Practitioner: ['name', 'family', 'identifier'],
  Slot: ['schedule', 'schedule.actor.identifier', 'start', 'status'],
  Schedule: ['actor'],
  Location: ['name', 'identifier'],
  Appointment: ['patient', 'patient.identifier', 'date', 'status', 'practitioner', 'slot', '_id'],
};

beforeAll(async () => {
  server = await startTestServer();
  api = apiOf(server);
  const response = await api.get('metadata');
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
  statement = response.json<CapabilityStatement>();
  resources = statement.rest?.[0].resource ?? [];
});
afterAll(() => server.close());

describe('the CapabilityStatement', () => {
  it('is an active FHIR 4.0.1 server statement in JSON, naming this server', () => {
    expect(statement).toMatchObject({
      resourceType: 'CapabilityStatement',
      status: 'active',
      kind: 'instance',
      fhirVersion: '4.0.1',
    });
    expect(statement.format).toContain('application/fhir+json');
    expect(statement.format?.some((format) => /xml/.test(format))).toBe(false);
    expect(statement.implementation?.url).toBe('http://localhost:80/fhir');
    expect(statement.rest?.[0].mode).toBe('server');
  });

  it('lists the six resource types domain.md needs, and Provenance and Communication (the emails), and no others', () => {
    expect(resources.map((resource) => resource.type).sort()).toEqual([
      'Appointment',
      'Communication',
      'Location',
      'Patient',
      'Practitioner',
      'Provenance',
      'Schedule',
      'Slot',
    ]);
  });

  it("declares the appointment's life after booking: patch, history, $cancel and $reschedule, each with a readable OperationDefinition", async () => {
    const appointment = resources.find((resource) => resource.type === 'Appointment');
    expect(appointment?.interaction?.map((interaction) => interaction.code)).toEqual(
      expect.arrayContaining(['patch', 'history-instance']),
    );
    expect(appointment?.readHistory).toBe(true);
    expect(appointment?.operation?.map((operation) => operation.name).sort()).toEqual(['cancel', 'reschedule']);
    for (const operation of appointment?.operation ?? []) {
      const id = operation.definition.split('/').pop() as string;
      // Public, like the CapabilityStatement: no token.
      const response = await server.app.inject({ method: 'GET', url: `/fhir/OperationDefinition/${id}` });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({
        resourceType: 'OperationDefinition',
        code: operation.name,
        url: operation.definition,
        instance: true,
      });
    }
    expect(
      resources.find((resource) => resource.type === 'Provenance')?.searchParam?.map((param) => param.name),
    ).toContain('target');
  });

  it('has a readable StructureDefinition for each of our extensions', async () => {
    for (const id of ['rescheduled-to', 'online-bookable', 'delivery-channel']) {
      const response = await server.app.inject({ method: 'GET', url: `/fhir/StructureDefinition/${id}` });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({ resourceType: 'StructureDefinition', id, type: 'Extension' });
      expect(statement.rest?.[0].documentation).toContain(id);
    }
    expectOutcome(await server.app.inject({ method: 'GET', url: '/fhir/StructureDefinition/nope' }), 404, 'not-found');
  });

  it('claims every search parameter and include domain.md asks for', () => {
    for (const [type, parameters] of Object.entries(DOMAIN_PARAMETERS)) {
      const claimed =
        resources.find((resource) => resource.type === type)?.searchParam?.map((param) => param.name) ?? [];
      expect(claimed, type).toEqual(expect.arrayContaining(parameters));
    }
    const appointment = resources.find((resource) => resource.type === 'Appointment');
    expect(appointment?.searchInclude).toEqual(
      expect.arrayContaining(['Appointment:patient', 'Appointment:practitioner', 'Appointment:location']),
    );
    expect(resources.find((resource) => resource.type === 'Slot')?.searchInclude).toContain('Slot:schedule');
  });

  it('claims create and update for Appointment only, and delete for nothing', () => {
    for (const resource of resources) {
      const codes = resource.interaction?.map((interaction) => interaction.code) ?? [];
      expect(codes, resource.type).not.toContain('delete');
      expect(codes.includes('create'), resource.type).toBe(resource.type === 'Appointment');
      expect(codes.includes('update'), resource.type).toBe(resource.type === 'Appointment');
    }
    expect(resources.find((resource) => resource.type === 'Appointment')?.updateCreate).toBe(false);
  });
});

describe('everything claimed works', () => {
  it('read, vread, history and conditional create, each where declared', async () => {
    const booked = await api.book((await import('./fixtures')).proposal());
    const provenance = (await api.search(`Provenance?target=Appointment/${booked.id}`)).entry?.[0]?.resource?.id;
    const communication = (await api.search(`Communication?about=Appointment/${booked.id}`)).entry?.[0]?.resource?.id;
    for (const resource of resources) {
      const id =
        resource.type === 'Provenance'
          ? provenance
          : resource.type === 'Communication'
            ? communication
            : (KNOWN_ID[resource.type] ?? booked.id);
      for (const { code } of resource.interaction ?? []) {
        if (code === 'read')
          expect((await api.get(`${resource.type}/${id}`)).statusCode, `${resource.type} read`).toBe(200);
        if (code === 'vread')
          expect((await api.get(`${resource.type}/${id}/_history/1`)).statusCode, `${resource.type} vread`).toBe(200);
        if (code === 'history-instance')
          expect((await api.get(`${resource.type}/${id}/_history`)).json(), `${resource.type} history`).toMatchObject({
            type: 'history',
          });
      }
      const history = await api.get(`${resource.type}/_history`);
      if (resource.interaction?.some(({ code }) => code === 'history-type'))
        expect(history.json(), `${resource.type} type history`).toMatchObject({ type: 'history' });
      // Communication's routes are its own (communicationRoutes.ts): _history there is an id it has not got.
      else expectOutcome(history, resource.type === 'Communication' ? 404 : 405, ['not-found', 'not-supported']);
      if (resource.conditionalCreate) {
        const condition = `patient=pat-b&date=${encodeURIComponent(booked.start as string)}`;
        const created = await api.post(
          'Appointment',
          (await import('./fixtures')).proposal({
            time: '09:00',
            patient: 'pat-b',
            practitioner: 'prac-2',
            location: 'loc-2',
          }),
          { 'if-none-exist': condition },
        );
        expect(created.statusCode, created.body).toBe(201);
        const again = await api.post(
          'Appointment',
          (await import('./fixtures')).proposal({
            time: '09:00',
            patient: 'pat-b',
            practitioner: 'prac-2',
            location: 'loc-2',
          }),
          { 'if-none-exist': condition },
        );
        expect(again.statusCode, again.body).toBe(200);
        expect(again.json().id).toBe(created.json().id);
      }
    }
  });

  it('each _sort key a resource documents, with strict handling', async () => {
    for (const resource of resources) {
      const keys = /_sort by ([^(]+) \(/.exec(resource.documentation ?? '')?.[1]?.split(', ') ?? [];
      if (resource.type !== 'Communication') expect(keys.length, resource.type).toBeGreaterThan(0);
      for (const key of keys) {
        const response = await api.get(`${resource.type}?_sort=-${key}`, { prefer: 'handling=strict' });
        expect(response.statusCode, `${resource.type} _sort=${key}: ${response.body}`).toBe(200);
      }
    }
  });

  it('each search parameter, with strict handling, so an unsupported one would be a 400', async () => {
    for (const resource of resources) {
      for (const param of resource.searchParam ?? []) {
        const url = `${resource.type}?${param.name}=${encodeURIComponent(SAMPLE[param.type] ?? 'x')}`;
        const response = await api.get(url, { prefer: 'handling=strict' });
        expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
      }
      for (const include of resource.searchInclude ?? []) {
        const response = await api.get(`${resource.type}?_include=${include}`, { prefer: 'handling=strict' });
        expect(response.statusCode, `${include}: ${response.body}`).toBe(200);
      }
    }
  });

  it('a parameter it does not claim is refused under strict handling', async () => {
    for (const resource of resources) {
      expectOutcome(await api.get(`${resource.type}?not-a-parameter=1`, { prefer: 'handling=strict' }), 400, 'invalid');
    }
  });
});

describe('what it does not claim is refused', () => {
  it('create, update and delete where the statement leaves them out', async () => {
    for (const resource of resources) {
      const codes = new Set(resource.interaction?.map((interaction) => interaction.code));
      const id = KNOWN_ID[resource.type] ?? 'any-id';
      if (!codes.has('create'))
        expectOutcome(await api.post(resource.type, { resourceType: resource.type }), 405, 'not-supported');
      if (!codes.has('update'))
        expectOutcome(
          await api.put(`${resource.type}/${id}`, { resourceType: resource.type, id }),
          405,
          'not-supported',
        );
      expectOutcome(await api.request('DELETE', `${resource.type}/${id}`), 405, 'not-supported');
    }
  });

  it('types it does not list are 404', async () => {
    expectOutcome(await api.get('Encounter?patient=pat-a'), 404, ['not-found', 'not-supported']);
    expectOutcome(await api.get('Encounter/1'), 404, ['not-found', 'not-supported']);
  });
});
