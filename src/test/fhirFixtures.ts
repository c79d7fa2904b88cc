/**
 * A small FHIR world for component tests: one patient, one practitioner at one clinic, free slots in
 * next week (always in the future), served by msw as a FHIR server would, so the app's real code
 * runs end to end in jsdom. Tests change `world` or add handlers to play the server's other answers.
 */
import type {
  Appointment,
  Bundle,
  CapabilityStatement,
  FhirResource,
  Patient,
  Practitioner,
  Schedule,
  Slot,
} from 'fhir/r4';
import { http, HttpResponse } from 'msw';
import { NHI_SYSTEM } from '../../domain/identifiers';
import { addClinicDays, clinicDate, clinicInstant, startOfClinicWeek, toFhirInstant } from '../../domain/clinicTime';
import { MEDTECH_IG } from '../lib/serverCapabilities';

export const FHIR_BASE = 'http://fhir.test/fhir';
export const TIME_ZONE = 'Pacific/Auckland';

export const patient: Patient = {
  resourceType: 'Patient',
  id: 'pat-1',
  identifier: [{ system: NHI_SYSTEM, value: 'ZAC5361' }],
  name: [{ use: 'official', given: ['Aroha'], family: 'Ngata' }],
  gender: 'female',
  birthDate: '1984-07-19',
};

export const practitioner: Practitioner = {
  resourceType: 'Practitioner',
  id: 'prac-1',
  name: [{ use: 'official', prefix: ['Dr'], given: ['Mere'], family: 'Parata' }],
  qualification: [{ code: { text: 'General practitioner' } }],
};

export const schedule: Schedule = {
  resourceType: 'Schedule',
  id: 'sched-1',
  active: true,
  actor: [
    { reference: 'Practitioner/prac-1', display: 'Dr Mere Parata' },
    { reference: 'Location/loc-1', display: 'Ponsonby Family Health' },
  ],
};

/** The Monday of the clinic week after this one: its slots are always still to come. */
export function nextWeek(): string {
  return addClinicDays(startOfClinicWeek(clinicDate(new Date(), TIME_ZONE)), 7);
}

export function slotAt(day: string, time: string, id: string): Slot {
  const start = clinicInstant(day, time, TIME_ZONE);
  return {
    resourceType: 'Slot',
    id,
    schedule: { reference: 'Schedule/sched-1' },
    status: 'free',
    start: toFhirInstant(start, TIME_ZONE),
    end: toFhirInstant(new Date(start.getTime() + 15 * 60_000), TIME_ZONE),
  };
}

export function searchset(resources: FhirResource[], included: FhirResource[] = []): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    entry: [
      ...resources.map((resource) => ({ resource, search: { mode: 'match' as const } })),
      ...included.map((resource) => ({ resource, search: { mode: 'include' as const } })),
    ],
  };
}

export function fhirJson(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}) {
  return HttpResponse.json(body as Record<string, unknown>, {
    status: init.status ?? 200,
    headers: { 'Content-Type': 'application/fhir+json', ...init.headers },
  });
}

export function outcome(status: number, issues: Array<{ code: string; diagnostics: string; expression?: string[] }>) {
  return fhirJson(
    { resourceType: 'OperationOutcome', issue: issues.map((found) => ({ severity: 'error', ...found })) },
    { status },
  );
}

export interface FhirWorld {
  slots: Slot[];
  appointments: Appointment[];
  /** Every request the fake server saw, as "METHOD path?query". */
  requests: string[];
  /** Appointment operations the server declares in its CapabilityStatement (`cancel`, `reschedule`): none, like the page's server. */
  operations: string[];
  /** Whether it declares conditional create (If-None-Exist) for Appointment: not, like the page's server. */
  conditionalCreate?: boolean;
}

/** A CapabilityStatement declaring the page's interactions and the given Appointment operations. */
export function capabilityStatement(operations: string[], conditionalCreate = false): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-11-29',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    // Like our server: it books under the IG's rules itself, so the app sends only the page's writes.
    instantiates: [MEDTECH_IG],
    rest: [
      {
        mode: 'server',
        resource: [
          { type: 'Slot', interaction: [{ code: 'read' }, { code: 'search-type' }], searchInclude: ['Slot:schedule'] },
          {
            type: 'Appointment',
            interaction: [{ code: 'read' }, { code: 'create' }, { code: 'update' }, { code: 'search-type' }],
            searchInclude: ['Appointment:patient', 'Appointment:practitioner', 'Appointment:location'],
            conditionalCreate,
            operation: operations.map((name) => ({
              name,
              definition: `http://fhir.test/OperationDefinition/Appointment-${name}`,
            })),
          },
        ],
      },
    ],
  };
}

export function createWorld(): FhirWorld {
  const week = nextWeek();
  return {
    slots: [
      slotAt(addClinicDays(week, 1), '09:00', 'slot-a'),
      slotAt(addClinicDays(week, 1), '09:15', 'slot-b'),
      slotAt(addClinicDays(week, 2), '14:30', 'slot-c'),
    ],
    appointments: [],
    requests: [],
    operations: [],
  };
}

/** The reads and searches the booking screens make, answered from the world. */
export function fhirHandlers(world: FhirWorld) {
  const record = (request: Request) => {
    const url = new URL(request.url);
    world.requests.push(`${request.method} ${url.pathname.replace('/fhir', '')}${url.search}`);
  };
  return [
    http.all(`${FHIR_BASE}/*`, ({ request }) => {
      record(request);
    }),
    http.get(`${FHIR_BASE}/metadata`, () => fhirJson(capabilityStatement(world.operations, world.conditionalCreate))),
    http.get(`${FHIR_BASE}/Patient`, () => fhirJson(searchset([patient]))),
    http.get(`${FHIR_BASE}/Patient/pat-1`, () => fhirJson(patient)),
    http.get(`${FHIR_BASE}/Practitioner`, () => fhirJson(searchset([practitioner]))),
    http.get(`${FHIR_BASE}/Practitioner/prac-1`, () => fhirJson(practitioner)),
    http.get(`${FHIR_BASE}/Schedule`, () => fhirJson(searchset([schedule]))),
    http.get(`${FHIR_BASE}/Slot`, () => fhirJson(searchset(world.slots.filter((slot) => slot.status === 'free')))),
    http.get(`${FHIR_BASE}/Slot/:id`, ({ params }) => {
      const found = world.slots.find((slot) => slot.id === params.id);
      return found ? fhirJson(found) : outcome(404, [{ code: 'not-found', diagnostics: 'No such slot.' }]);
    }),
    http.get(`${FHIR_BASE}/Appointment`, () => fhirJson(searchset(world.appointments, [practitioner]))),
    http.get(`${FHIR_BASE}/Appointment/:id`, ({ params }) => {
      const found = world.appointments.find((appointment) => appointment.id === params.id);
      return found
        ? fhirJson(found, { headers: { ETag: `W/"${found.meta?.versionId ?? '1'}"` } })
        : outcome(404, [{ code: 'not-found', diagnostics: 'No such appointment.' }]);
    }),
  ];
}

/** What a FHIR server stores for a proposed appointment: booked, with an id, a version and an end. */
export function storeBooking(
  world: FhirWorld,
  proposed: Appointment,
  id = `appt-${world.appointments.length + 1}`,
): Appointment {
  const slot = world.slots.find((candidate) => `Slot/${candidate.id}` === proposed.slot?.[0]?.reference);
  if (slot) slot.status = 'busy';
  const stored: Appointment = { ...proposed, id, status: 'booked', end: slot?.end, meta: { versionId: '1' } };
  world.appointments.push(stored);
  return stored;
}
