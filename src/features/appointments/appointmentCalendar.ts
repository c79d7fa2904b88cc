/**
 * "Add to calendar" for an appointment in the patient's list: the same event the server's emails
 * carry (server/mail/appointmentMessages.ts), so a calendar holding both keeps one. The UID is the
 * first appointment's of the chain of reschedules and SEQUENCE the number of moves since, followed
 * through `replaces` among the patient's own appointments.
 */
import type { Appointment } from 'fhir/r4';
import { appointmentCalendarUid } from '../../../domain/appointmentCalendar';
import { REPLACES_URL } from '../../../domain/extensions';
import { parseReference } from '../../../domain/references';
import type { AppointmentCalendarEvent } from '../../lib/calendarFile';
import type { AppointmentRow } from './api/appointmentQueries';
import { clinicAddress } from '../../../domain/clinicAddress';
import { clinicContact } from './clinicContact';

/** The first appointment of the chain `appointment` ends, and how many moves since it. */
export function calendarChain(
  appointment: Appointment,
  byId: ReadonlyMap<string, Appointment>,
): { firstId: string; moves: number } {
  let current = appointment;
  let moves = 0;
  // A chain cannot be longer than the appointments there are; the bound also stops a loop in bad data.
  while (moves < byId.size) {
    const replaced = parseReference(
      current.extension?.find((extension) => extension.url === REPLACES_URL)?.valueReference?.reference,
    );
    const previous = replaced?.resourceType === 'Appointment' ? byId.get(replaced.id) : undefined;
    if (!previous) break;
    current = previous;
    moves += 1;
  }
  return { firstId: current.id ?? '', moves };
}

/** The event for one row; undefined when the appointment has no time to put in a calendar. */
export function calendarEventOf(
  row: AppointmentRow,
  byId: ReadonlyMap<string, Appointment>,
): AppointmentCalendarEvent | undefined {
  if (!row.id || !row.startsAt) return undefined;
  const { firstId, moves } = calendarChain(row.appointment, byId);
  const clinic = clinicContact(row.location, row.locationName);
  const practitioner = row.practitionerId ? row.practitionerName : undefined;
  const summary = `Appointment${practitioner ? ` with ${practitioner}` : ''}${clinic.name ? ` at ${clinic.name}` : ''}`;
  const location = [clinic.name, clinicAddress(row.location)].filter(Boolean).join(', ');
  const description = [
    row.appointment.description ? `Reason: ${row.appointment.description}` : undefined,
    clinic.phone ? `Clinic phone: ${clinic.phone}` : undefined,
  ]
    .filter(Boolean)
    .join('\n');
  return {
    uid: appointmentCalendarUid(firstId),
    sequence: moves,
    start: row.startsAt,
    end: row.endsAt ?? row.startsAt,
    summary,
    ...(location ? { location } : {}),
    ...(description ? { description } : {}),
  };
}
