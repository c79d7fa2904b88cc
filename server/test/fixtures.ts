/**
 * A small, fixed clinic for the API tests: two patients, two practitioners at two locations and
 * free 15-minute slots on the morning after the tests' clock. Ids are readable so failures are too.
 */
import type { Location, Patient, Practitioner, Resource, Schedule, Slot } from 'fhir/r4';
import { HPI_FACILITY_SYSTEM, HPI_PERSON_SYSTEM, NHI_SYSTEM } from '../../domain/identifiers';
import { clinicInstant, toFhirInstant } from '../../domain/clinicTime';
import type { FhirStore } from '../storage/fhirStore';

export const TIME_ZONE = 'Pacific/Auckland';
/** Monday 4 March 2030, 08:00 in Auckland (NZDT, +13:00). */
export const NOW = clinicInstant('2030-03-04', '08:00', TIME_ZONE);
export const SLOT_DAY = '2030-03-05';

export const patientA: Patient = {
  resourceType: 'Patient',
  id: 'pat-a',
  identifier: [{ system: NHI_SYSTEM, value: 'ZAC5361' }],
  name: [{ use: 'official', family: 'Ngātai', given: ['Aroha'] }],
  gender: 'female',
  birthDate: '1984-07-19',
};

export const patientB: Patient = {
  resourceType: 'Patient',
  id: 'pat-b',
  identifier: [{ system: NHI_SYSTEM, value: 'ZBN77VL' }],
  name: [{ use: 'official', family: "Fa'asalele", given: ['Sione', 'Tavita'] }],
  gender: 'male',
  birthDate: '1990-01-02',
};

function practitioner(id: string, cpn: string, family: string, given: string): Practitioner {
  return {
    resourceType: 'Practitioner',
    id,
    identifier: [{ system: HPI_PERSON_SYSTEM, value: cpn }],
    name: [{ family, given: [given], prefix: ['Dr'] }],
    active: true,
  };
}

function location(id: string, facility: string, name: string): Location {
  return {
    resourceType: 'Location',
    id,
    identifier: [{ system: HPI_FACILITY_SYSTEM, value: facility }],
    name,
    status: 'active',
  };
}

export const practitionerOne = practitioner('prac-1', '99ZZZZ', 'Tūhoe-Smith', 'Anna');
export const practitionerTwo = practitioner('prac-2', '99ZZZY', 'Chen', 'Wei');
export const locationOne = location('loc-1', 'FZZ999-B', 'Ponsonby Family Health');
export const locationTwo = location('loc-2', 'FZZ998-J', 'Karori Medical Centre');

function schedule(practitionerId: string, locationId: string): Schedule {
  return {
    resourceType: 'Schedule',
    id: `sched-${practitionerId}`,
    active: true,
    actor: [{ reference: `Practitioner/${practitionerId}` }, { reference: `Location/${locationId}` }],
  };
}

export const scheduleOne = schedule('prac-1', 'loc-1');
export const scheduleTwo = schedule('prac-2', 'loc-2');

/** `slot-<practitioner>-<hhmm>`, every 15 minutes from 09:00 to 11:45 on SLOT_DAY. */
export function slotId(practitionerId: string, time: string): string {
  return `slot-${practitionerId}-${time.replace(':', '')}`;
}

function slotsFor(scheduled: Schedule, practitionerId: string): Slot[] {
  const slots: Slot[] = [];
  for (let minutes = 9 * 60; minutes < 12 * 60; minutes += 15) {
    const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    const start = clinicInstant(SLOT_DAY, time, TIME_ZONE);
    slots.push({
      resourceType: 'Slot',
      id: slotId(practitionerId, time),
      schedule: { reference: `Schedule/${scheduled.id}` },
      status: 'free',
      start: toFhirInstant(start, TIME_ZONE),
      end: toFhirInstant(new Date(start.getTime() + 15 * 60_000), TIME_ZONE),
    });
  }
  return slots;
}

export function fixtureResources(): Resource[] {
  return [
    patientA,
    patientB,
    practitionerOne,
    practitionerTwo,
    locationOne,
    locationTwo,
    scheduleOne,
    scheduleTwo,
    ...slotsFor(scheduleOne, 'prac-1'),
    ...slotsFor(scheduleTwo, 'prac-2'),
  ];
}

export async function loadFixtures(store: FhirStore): Promise<void> {
  await store.bulkLoad(fixtureResources(), NOW);
}

/** A proposed Appointment as a client would POST it, for a fixture slot. */
export function proposal(
  options: { patient?: string; practitioner?: string; location?: string; time?: string; withSlot?: boolean } = {},
) {
  const practitionerId = options.practitioner ?? 'prac-1';
  const time = options.time ?? '09:00';
  const start = clinicInstant(SLOT_DAY, time, TIME_ZONE);
  return {
    resourceType: 'Appointment',
    status: 'proposed',
    start: toFhirInstant(start, TIME_ZONE),
    ...(options.withSlot === false ? {} : { slot: [{ reference: `Slot/${slotId(practitionerId, time)}` }] }),
    participant: [
      { actor: { reference: `Patient/${options.patient ?? 'pat-a'}` }, status: 'accepted' },
      { actor: { reference: `Practitioner/${practitionerId}` }, status: 'accepted' },
      { actor: { reference: `Location/${options.location ?? 'loc-1'}` }, status: 'accepted' },
    ],
  };
}
