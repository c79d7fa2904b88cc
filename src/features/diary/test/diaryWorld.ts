/**
 * A clinic day for the diary's component tests: two practitioners at one location, their slots and
 * appointments, served by msw as a FHIR server would (searches, JSON Patch with If-Match, Provenance),
 * so the diary's real queries and mutation run end to end in jsdom.
 */
import type { Appointment, Patient, Practitioner, Provenance, Schedule, Slot } from 'fhir/r4';
import { http, HttpResponse } from 'msw';
import { clinicInstant, toFhirInstant } from '../../../../domain/clinicTime';
import { NHI_SYSTEM } from '../../../../domain/identifiers';
import { FHIR_BASE, fhirJson, outcome, searchset, TIME_ZONE } from '../../../test/fhirFixtures';

export const LOCATION = 'loc-1';
export const OTHER_LOCATION = 'loc-2';

export const practitioners: Practitioner[] = [
  { resourceType: 'Practitioner', id: 'prac-1', name: [{ prefix: ['Dr'], given: ['Mere'], family: 'Parata' }] },
  { resourceType: 'Practitioner', id: 'prac-2', name: [{ given: ['Ana'], family: 'Fifita' }] },
];

export const patients: Patient[] = [
  {
    resourceType: 'Patient',
    id: 'pat-1',
    identifier: [{ system: NHI_SYSTEM, value: 'ZAC5361' }],
    name: [{ given: ['Aroha'], family: 'Ngata' }],
  },
  {
    resourceType: 'Patient',
    id: 'pat-2',
    identifier: [{ system: NHI_SYSTEM, value: 'ZBN77VL' }],
    name: [{ given: ['Hēmi'], family: 'Te Rangi' }],
  },
  { resourceType: 'Patient', id: 'pat-3', name: [{ given: ['Emily'], family: 'Harrison-Clarke' }] },
];

export const schedules: Schedule[] = [
  {
    resourceType: 'Schedule',
    id: 'sched-1',
    actor: [{ reference: 'Practitioner/prac-1', display: 'Dr Mere Parata' }, { reference: `Location/${LOCATION}` }],
  },
  {
    resourceType: 'Schedule',
    id: 'sched-2',
    actor: [{ reference: 'Practitioner/prac-2', display: 'Ana Fifita' }, { reference: `Location/${LOCATION}` }],
  },
  {
    resourceType: 'Schedule',
    id: 'sched-3',
    actor: [
      { reference: 'Practitioner/prac-1', display: 'Dr Mere Parata' },
      { reference: `Location/${OTHER_LOCATION}` },
    ],
  },
];

const at = (day: string, time: string, minutes = 0) =>
  toFhirInstant(new Date(clinicInstant(day, time, TIME_ZONE).getTime() + minutes * 60_000), TIME_ZONE);

export function slot(id: string, scheduleId: string, day: string, time: string, status: Slot['status'] = 'free'): Slot {
  return {
    resourceType: 'Slot',
    id,
    schedule: { reference: `Schedule/${scheduleId}` },
    status,
    start: at(day, time),
    end: at(day, time, 15),
  };
}

export function appointment(
  id: string,
  {
    day,
    time,
    patient,
    practitioner,
    location = LOCATION,
    status = 'booked',
    slotId,
    lastUpdated,
  }: {
    day: string;
    time: string;
    patient: string;
    practitioner?: string;
    location?: string | null;
    status?: Appointment['status'];
    slotId?: string;
    lastUpdated?: Date;
  },
): Appointment {
  return {
    resourceType: 'Appointment',
    id,
    meta: { versionId: '1', ...(lastUpdated ? { lastUpdated: lastUpdated.toISOString() } : {}) },
    status,
    start: at(day, time),
    end: at(day, time, 15),
    ...(slotId ? { slot: [{ reference: `Slot/${slotId}` }] } : {}),
    participant: [
      { actor: { reference: `Patient/${patient}` }, status: 'accepted' },
      ...(practitioner ? [{ actor: { reference: `Practitioner/${practitioner}` }, status: 'accepted' as const }] : []),
      ...(location ? [{ actor: { reference: `Location/${location}` }, status: 'accepted' as const }] : []),
    ],
  };
}

export interface DiaryWorld {
  slots: Slot[];
  appointments: Appointment[];
  provenance: Provenance[];
  /** Every request, as "METHOD path?query" (decoded). */
  requests: string[];
  patches: Array<{ id: string; ifMatch: string | null; body: unknown }>;
  /** Whether the server declares (and answers) the chained `schedule.actor` on Slot, as ours does. */
  chainedSearch: boolean;
}

const referenceIds = (value: string | null) => (value ?? '').split(',').map((part) => part.split('/').pop() ?? '');

/** Answers the diary's searches as a FHIR server would: by location, by any actor, by practitioner, with the includes. */
export function diaryHandlers(world: DiaryWorld) {
  return [
    http.all(`${FHIR_BASE}/*`, ({ request }) => {
      const url = new URL(request.url);
      world.requests.push(`${request.method} ${url.pathname.replace('/fhir', '')}${decodeURIComponent(url.search)}`);
    }),
    http.get(`${FHIR_BASE}/metadata`, () =>
      fhirJson({
        resourceType: 'CapabilityStatement',
        status: 'active',
        kind: 'instance',
        fhirVersion: '4.0.1',
        format: ['json'],
        rest: [
          {
            mode: 'server',
            resource: [
              {
                type: 'Slot',
                searchParam: world.chainedSearch ? [{ name: 'schedule.actor', type: 'reference' }] : [],
              },
            ],
          },
        ],
      }),
    ),
    http.get(`${FHIR_BASE}/Schedule`, ({ request }) => {
      const actor = new URL(request.url).searchParams.get('actor');
      return fhirJson(
        searchset(schedules.filter((schedule) => schedule.actor.some((found) => found.reference === actor))),
      );
    }),
    http.get(`${FHIR_BASE}/Slot`, ({ request }) => {
      const params = new URL(request.url).searchParams;
      const actor = referenceIds(params.get('schedule.actor'));
      const named = referenceIds(params.get('schedule'));
      const mine = schedules.filter((schedule) =>
        world.chainedSearch
          ? schedule.actor.some((found) => actor.includes(found.reference?.split('/').pop() ?? ''))
          : named.includes(schedule.id ?? ''),
      );
      const found = world.slots.filter((candidate) =>
        mine.some((schedule) => `Schedule/${schedule.id}` === candidate.schedule.reference),
      );
      return fhirJson(searchset(found, mine));
    }),
    http.get(`${FHIR_BASE}/Appointment`, ({ request }) => {
      const params = new URL(request.url).searchParams;
      const wanted = [
        ...referenceIds(params.get('actor')),
        ...referenceIds(params.get('location')),
        ...referenceIds(params.get('practitioner')),
      ].filter(Boolean);
      const found = world.appointments.filter((candidate) =>
        candidate.participant.some((found) => wanted.includes(found.actor?.reference?.split('/').pop() ?? '')),
      );
      return fhirJson(searchset(found, [...patients, ...practitioners]));
    }),
    http.patch(`${FHIR_BASE}/Appointment/:id`, async ({ request, params }) => {
      const body = (await request.json()) as Array<{ value: Appointment['status'] }>;
      const ifMatch = request.headers.get('If-Match');
      world.patches.push({ id: String(params.id), ifMatch, body });
      const stored = world.appointments.find((candidate) => candidate.id === params.id);
      if (!stored) return outcome(404, [{ code: 'not-found', diagnostics: 'No such appointment.' }]);
      if (ifMatch !== `W/"${stored.meta?.versionId}"`)
        return outcome(412, [{ code: 'conflict', diagnostics: 'Changed meanwhile.' }]);
      stored.status = body[0].value;
      stored.meta = {
        versionId: String(Number(stored.meta?.versionId ?? '1') + 1),
        lastUpdated: new Date().toISOString(),
      };
      return fhirJson(stored, { headers: { ETag: `W/"${stored.meta.versionId}"` } });
    }),
    http.get(`${FHIR_BASE}/Provenance`, ({ request }) => {
      const target = new URL(request.url).searchParams.get('target');
      return fhirJson(
        searchset(
          world.provenance.filter((found) =>
            found.target.some((reference) => reference.reference?.startsWith(`${target}/`)),
          ),
        ),
      );
    }),
  ];
}

export function provenance(
  appointmentId: string,
  version: number,
  text: string,
  who: string,
  recorded: string,
): Provenance {
  return {
    resourceType: 'Provenance',
    id: `prov-${appointmentId}-${version}`,
    target: [{ reference: `Appointment/${appointmentId}/_history/${version}` }],
    recorded,
    activity: { text },
    agent: [{ who: { display: who } }],
  };
}

export const noContent = () => new HttpResponse(null, { status: 204 });
