/**
 * A location's diary in two searches whatever the number of practitioners: its slots with their
 * schedules included (who works there, and when), then the appointments of the place and of those
 * practitioners in the range, with their patients and practitioners included. Asking by practitioner
 * too finds what was booked without a Location (another client's booking, a booking without a slot),
 * which a search by location alone silently misses. Both are polled while on screen, revalidated with
 * If-None-Match so an unchanged day costs two 304s.
 */
import { queryOptions } from '@tanstack/react-query';
import type { Appointment, Extension, FhirResource, Patient, Practitioner, Schedule, Slot } from 'fhir/r4';
import { actorId, participantsOfType } from '../../../../domain/appointmentRules';
import {
  addClinicDays,
  clinicDate,
  clinicInstant,
  clinicTimeOfDay,
  toFhirInstant,
} from '../../../../domain/clinicTime';
import { deliveryChannelOf, type DeliveryChannel } from '../../../../domain/extensions';
import { NHI_SYSTEM } from '../../../../domain/identifiers';
import { parseReference } from '../../../../domain/references';
import type { FhirClient } from '../../../lib/fhirClient';
import { humanName } from '../../../lib/format';
import { LIVE_POLL_MS } from '../../../lib/live';
import { queryKeys, type DiaryRange } from '../../../lib/queryKeys';
import { namesOfReferences } from '../../../lib/referenceNames';
import { searchWhole } from '../../../lib/searchAll';
import { serverCapabilities } from '../../../lib/serverCapabilities';

export type Channel = DeliveryChannel;

export interface DiaryAppointment {
  id: string;
  appointment: Appointment;
  startsAt: Date;
  endsAt: Date | undefined;
  /** Clinic date and wall-clock time (HH:mm) of the start. */
  day: string;
  time: string;
  status: Appointment['status'];
  practitionerId: string | undefined;
  practitionerName: string;
  patientId: string | undefined;
  patientName: string;
  nhi: string | undefined;
  type: string | undefined;
  channel: Channel;
  /** When the last change was stored: for an arrived patient, when they were marked arrived. */
  lastUpdated: Date | undefined;
  /** The Location participant, if the appointment names one. */
  locationId: string | undefined;
  /** The slots it was booked into. */
  slotIds: string[];
}

export interface DiarySlot {
  id: string;
  startsAt: Date;
  endsAt: Date;
  day: string;
  time: string;
  status: Slot['status'];
  practitionerId: string;
  practitionerName: string | undefined;
  type: string | undefined;
  channel: Channel;
}

export interface DiaryData {
  appointments: DiaryAppointment[];
  slots: DiarySlot[];
}

const MAX_APPOINTMENTS = 1000;
const MAX_SLOTS = 1000;

function rangeWindow(range: DiaryRange, name: string): Array<[string, string]> {
  const from = toFhirInstant(clinicInstant(range.from, '00:00', range.timeZone), range.timeZone);
  const to = toFhirInstant(
    clinicInstant(addClinicDays(range.from, range.days), '00:00', range.timeZone),
    range.timeZone,
  );
  return [
    [name, `ge${from}`],
    [name, `lt${to}`],
  ];
}

/** The delivery channel (`delivery-channel` extension); in person when none is recorded. */
export function channelOf(resource: { extension?: Extension[] }): Channel {
  return deliveryChannelOf(resource) ?? 'in-person';
}

function appointmentTypeOf(appointment: Appointment): string | undefined {
  const type = appointment.appointmentType;
  return (
    type?.text ??
    type?.coding?.[0]?.display ??
    appointment.serviceType?.[0]?.text ??
    appointment.serviceType?.[0]?.coding?.[0]?.display
  );
}

function nhiOf(patient: Patient | undefined): string | undefined {
  return patient?.identifier?.find((identifier) => identifier.system === NHI_SYSTEM)?.value;
}

export function toDiaryAppointment(
  appointment: Appointment,
  included: Map<string, FhirResource>,
  timeZone: string,
): DiaryAppointment | undefined {
  if (!appointment.start) return undefined;
  const startsAt = new Date(appointment.start);
  const practitionerId = actorId(appointment, 'Practitioner');
  const patientId = actorId(appointment, 'Patient');
  const practitioner = included.get(`Practitioner/${practitionerId}`) as Practitioner | undefined;
  const patient = included.get(`Patient/${patientId}`) as Patient | undefined;
  const display = (type: 'Practitioner' | 'Patient') =>
    participantsOfType(appointment, type)[0]?.participant.actor?.display;
  return {
    id: appointment.id ?? '',
    appointment,
    startsAt,
    endsAt: appointment.end ? new Date(appointment.end) : undefined,
    day: clinicDate(startsAt, timeZone),
    time: clinicTimeOfDay(startsAt, timeZone),
    status: appointment.status,
    practitionerId,
    practitionerName: practitioner
      ? humanName(practitioner.name)
      : (display('Practitioner') ?? 'Practitioner not recorded'),
    patientId,
    patientName: patient ? humanName(patient.name) : (display('Patient') ?? 'Patient not recorded'),
    nhi: nhiOf(patient),
    type: appointmentTypeOf(appointment),
    channel: channelOf(appointment),
    lastUpdated: appointment.meta?.lastUpdated ? new Date(appointment.meta.lastUpdated) : undefined,
    locationId: actorId(appointment, 'Location'),
    slotIds: (appointment.slot ?? []).flatMap((slot) => parseReference(slot.reference)?.id ?? []),
  };
}

/**
 * Whether an appointment is this diary's: one naming a Location is where it names; one naming none is
 * here when its practitioner works here that day (has slots here) and it was not booked into a slot
 * elsewhere. Such an appointment may show in two places' diaries, never in none.
 */
export function belongsToDiary(item: DiaryAppointment, locationId: string, slots: readonly DiarySlot[]): boolean {
  if (item.locationId) return item.locationId === locationId;
  if (item.slotIds.length > 0) return slots.some((slot) => item.slotIds.includes(slot.id));
  return slots.some((slot) => slot.practitionerId === item.practitionerId && slot.day === item.day);
}

/** The practitioners with slots in a diary's range, sorted: who an appointment without a Location may be with. */
export function workingPractitioners(slots: readonly DiarySlot[]): string[] {
  return [...new Set(slots.map((slot) => slot.practitionerId))].sort();
}

function scheduleActor(schedule: Schedule | undefined, type: 'Practitioner' | 'Location') {
  const actor = schedule?.actor.find((candidate) => parseReference(candidate.reference)?.resourceType === type);
  const id = parseReference(actor?.reference)?.id;
  return id ? { id, display: actor?.display } : undefined;
}

export function toDiarySlots(
  slots: Slot[],
  schedules: Map<string, Schedule>,
  locationId: string,
  timeZone: string,
): DiarySlot[] {
  return slots.flatMap((slot): DiarySlot[] => {
    const schedule = schedules.get(parseReference(slot.schedule.reference)?.id ?? '');
    const practitioner = scheduleActor(schedule, 'Practitioner');
    const location = scheduleActor(schedule, 'Location');
    // A schedule that names another place is not this diary's; one that names none is kept.
    if (!slot.id || !practitioner || (location && location.id !== locationId)) return [];
    const startsAt = new Date(slot.start);
    return [
      {
        id: slot.id,
        startsAt,
        endsAt: new Date(slot.end),
        day: clinicDate(startsAt, timeZone),
        time: clinicTimeOfDay(startsAt, timeZone),
        status: slot.status,
        practitionerId: practitioner.id,
        practitionerName: practitioner.display,
        type: slot.serviceType?.[0]?.text ?? schedule?.serviceType?.[0]?.text,
        channel: channelOf(slot),
      },
    ];
  });
}

const byStart = <T extends { startsAt: Date }>(a: T, b: T) => a.startsAt.getTime() - b.startsAt.getTime();

/**
 * How to ask for the slots of a location's or practitioner's schedules: the chained `schedule.actor` where
 * the server declares it (one request), else that actor's schedules first and then their slots by `schedule`.
 * Undefined when the actor has no schedule, so no slots.
 */
async function slotsOfActor(
  client: FhirClient,
  actor: string,
  signal: AbortSignal,
): Promise<[string, string] | undefined> {
  const statement = await client.capabilities().catch(() => undefined);
  if (serverCapabilities(statement).supportsSearchParam('Slot', 'schedule.actor')) return ['schedule.actor', actor];
  const { matches } = await searchWhole<Schedule>(
    "the diary's schedules",
    client,
    'Schedule',
    [['actor', actor]],
    signal,
  );
  return matches.length > 0 ? ['schedule', matches.map((schedule) => `Schedule/${schedule.id}`).join(',')] : undefined;
}

export const diaryQueries = {
  /**
   * The range's appointments at the location or with the practitioners working there (`practitionerIds`,
   * from the slots), earliest first; one practitioner's when the range names one. Not yet joined with
   * the slots: `belongsToDiary` keeps those without a Location that are this place's.
   */
  appointments: (client: FhirClient, range: DiaryRange, practitionerIds: readonly string[]) =>
    queryOptions({
      queryKey: queryKeys.appointments.diary(range, practitionerIds),
      queryFn: async ({ signal }): Promise<DiaryAppointment[]> => {
        const actors = range.practitionerId
          ? [['practitioner', `Practitioner/${range.practitionerId}`] as [string, string]]
          : [
              [
                'actor',
                [`Location/${range.locationId}`, ...practitionerIds.map((id) => `Practitioner/${id}`)].join(','),
              ] as [string, string],
            ];
        const { matches, included } = await searchWhole<Appointment>(
          "the diary's appointments",
          client,
          'Appointment',
          [
            ...actors,
            ...rangeWindow(range, 'date'),
            ['_include', 'Appointment:patient'],
            ['_include', 'Appointment:practitioner'],
            ['_count', String(MAX_APPOINTMENTS)],
          ],
          signal,
          { revalidate: true },
        );
        const byReference = new Map(included.map((resource) => [`${resource.resourceType}/${resource.id}`, resource]));
        return matches
          .filter(
            (appointment) => !range.practitionerId || actorId(appointment, 'Practitioner') === range.practitionerId,
          )
          .flatMap((appointment) => toDiaryAppointment(appointment, byReference, range.timeZone) ?? [])
          .sort(byStart);
      },
      refetchInterval: LIVE_POLL_MS,
      staleTime: 0,
      // A practitioner starting or ending a session changes the search: keep showing the same range meanwhile
      // (never another day's or place's appointments).
      placeholderData: (previous, previousQuery) =>
        previousQuery &&
        queryKeys.appointments
          .diary(range, [])
          .slice(0, -1)
          .every((part, index) => previousQuery.queryKey[index] === part)
          ? previous
          : undefined,
    }),
  /** Every slot (free or not) at the location in the range, or the practitioner's there, with whose it is. */
  slots: (client: FhirClient, range: DiaryRange) =>
    queryOptions({
      queryKey: queryKeys.slots.diary(range),
      queryFn: async ({ signal }): Promise<DiarySlot[]> => {
        const actor = range.practitionerId ? `Practitioner/${range.practitionerId}` : `Location/${range.locationId}`;
        const bySchedule = await slotsOfActor(client, actor, signal);
        if (!bySchedule) return [];
        const { matches, included } = await searchWhole<Slot>(
          "the diary's slots",
          client,
          'Slot',
          [bySchedule, ...rangeWindow(range, 'start'), ['_include', 'Slot:schedule'], ['_count', String(MAX_SLOTS)]],
          signal,
          { revalidate: true },
        );
        const schedules = new Map(
          included
            .filter((resource): resource is Schedule => resource.resourceType === 'Schedule')
            .map((schedule) => [schedule.id ?? '', schedule]),
        );
        // Another system's schedule may name its practitioner by reference alone: their record names them.
        const names = await namesOfReferences(
          client,
          [...schedules.values()]
            .flatMap((schedule) => schedule.actor)
            .filter((actor) => parseReference(actor.reference)?.resourceType === 'Practitioner'),
          signal,
        );
        return toDiarySlots(matches, schedules, range.locationId, range.timeZone)
          .filter((slot) => !range.practitionerId || slot.practitionerId === range.practitionerId)
          .map((slot) => ({ ...slot, practitionerName: names.get(`Practitioner/${slot.practitionerId}`) }))
          .sort(byStart);
      },
      refetchInterval: LIVE_POLL_MS,
      staleTime: 0,
    }),
};
