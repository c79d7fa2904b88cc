import type { Appointment } from 'fhir/r4';
import { appointmentCalendarUid } from '../../../../domain/appointmentCalendar';
import { AddToCalendarButton } from '../../../components/AddToCalendarButton';

interface CalendarFileLinkProps {
  appointment: Appointment;
  practitionerName: string | undefined;
  locationName: string | undefined;
  /** The clinic's street address, so the calendar entry says where to go. */
  locationAddress?: string;
}

/** "Add to calendar" for an appointment just booked: the first of its chain, so its UID is its own and SEQUENCE 0. */
export function CalendarFileLink({
  appointment,
  practitionerName,
  locationName,
  locationAddress,
}: CalendarFileLinkProps) {
  if (!appointment.id || !appointment.start || !appointment.end) return null;
  const summary = `Appointment${practitionerName ? ` with ${practitionerName}` : ''}${locationName ? ` at ${locationName}` : ''}`;
  return (
    <AddToCalendarButton
      event={{
        uid: appointmentCalendarUid(appointment.id),
        sequence: 0,
        start: new Date(appointment.start),
        end: new Date(appointment.end),
        summary,
        location: [locationName, locationAddress].filter(Boolean).join(', ') || undefined,
      }}
      fileName={`appointment-${appointment.id}.ics`}
    />
  );
}
