import { queryOptions } from '@tanstack/react-query';
import type { Appointment, FhirResource, Location, Practitioner } from 'fhir/r4';
import { actorId, participantsOfType } from '../../../../domain/appointmentRules';
import type { FhirClient } from '../../../lib/fhirClient';
import { humanName } from '../../../lib/format';
import { queryKeys } from '../../../lib/queryKeys';
import { PATIENT_APPOINTMENTS_STALE_MS, type PatientAppointmentList } from '../../../lib/patientAppointmentList';
import { searchWhole } from '../../../lib/searchAll';

export interface AppointmentRow {
  appointment: Appointment;
  id: string;
  startsAt: Date | undefined;
  endsAt: Date | undefined;
  practitionerId: string | undefined;
  practitionerName: string;
  locationName: string | undefined;
  /** The clinic, when the search brought it: its street address and phone for the patient. */
  location?: Location;
}

const MAX_APPOINTMENTS = 200;

/** An appointment as the lists show it; `included` holds what `_include` brought (practitioner, location). */
export function appointmentRow(
  appointment: Appointment,
  included: Map<string, FhirResource> = new Map(),
): AppointmentRow {
  const practitionerId = actorId(appointment, 'Practitioner');
  const locationId = actorId(appointment, 'Location');
  const practitioner = included.get(`Practitioner/${practitionerId}`) as Practitioner | undefined;
  const location = included.get(`Location/${locationId}`) as Location | undefined;
  const display = (type: 'Practitioner' | 'Location') =>
    participantsOfType(appointment, type)[0]?.participant.actor?.display;
  return {
    appointment,
    id: appointment.id ?? '',
    startsAt: appointment.start ? new Date(appointment.start) : undefined,
    endsAt: appointment.end ? new Date(appointment.end) : undefined,
    practitionerId,
    practitionerName: practitioner
      ? humanName(practitioner.name)
      : (display('Practitioner') ?? 'Practitioner not recorded'),
    locationName: location?.name ?? display('Location'),
    location,
  };
}

/** The held list as the screens show it: rows, earliest first. */
function patientAppointmentRows({ appointments, included }: PatientAppointmentList): AppointmentRow[] {
  const byReference = new Map(included.map((resource) => [`${resource.resourceType}/${resource.id}`, resource]));
  return appointments
    .map((appointment) => appointmentRow(appointment, byReference))
    .sort((a, b) => (a.startsAt?.getTime() ?? 0) - (b.startsAt?.getTime() ?? 0));
}

export const appointmentQueries = {
  /**
   * All the patient's appointments (every page), with their practitioners and locations, earliest first.
   * The cache holds the search's resources (lib/patientAppointmentList.ts), so a booking can add its answer.
   */
  forPatient: (client: FhirClient, patientId: string) =>
    queryOptions({
      queryKey: queryKeys.appointments.forPatient(patientId),
      queryFn: async ({ signal }): Promise<PatientAppointmentList> => {
        const { matches, included } = await searchWhole<Appointment>(
          "the patient's appointments",
          client,
          'Appointment',
          [
            ['patient', `Patient/${patientId}`],
            ['_include', 'Appointment:practitioner'],
            ['_include', 'Appointment:location'],
            ['_sort', 'date'],
            ['_count', String(MAX_APPOINTMENTS)],
          ],
          signal,
        );
        return { appointments: matches, included };
      },
      select: patientAppointmentRows,
      staleTime: PATIENT_APPOINTMENTS_STALE_MS,
    }),
};

const CANCELLABLE = new Set<Appointment['status']>(['proposed', 'pending', 'booked', 'waitlist']);

export function isCancellable(row: AppointmentRow, now: Date): boolean {
  return CANCELLABLE.has(row.appointment.status) && (row.startsAt?.getTime() ?? 0) > now.getTime();
}

/** Booked and still to come: what a patient calls upcoming, and the only kind that can be moved. */
export function isUpcoming(row: AppointmentRow, now: Date): boolean {
  return row.appointment.status === 'booked' && (row.startsAt?.getTime() ?? 0) > now.getTime();
}

/** Only a booked appointment still to come can move to another time. */
export const isReschedulable = isUpcoming;

/**
 * Upcoming: booked and still to come, soonest first. Cancelled: on their own, most recent first, so
 * a cancelled one is never counted as upcoming. Past: the rest (seen, did not attend, or a time gone
 * by), most recent first.
 */
export function splitByTime(
  rows: AppointmentRow[],
  now: Date,
): { upcoming: AppointmentRow[]; past: AppointmentRow[]; cancelled: AppointmentRow[] } {
  const cancelled = rows.filter((row) => row.appointment.status === 'cancelled').reverse();
  const upcoming = rows.filter((row) => isUpcoming(row, now));
  const past = rows.filter((row) => row.appointment.status !== 'cancelled' && !upcoming.includes(row)).reverse();
  return { upcoming, past, cancelled };
}
