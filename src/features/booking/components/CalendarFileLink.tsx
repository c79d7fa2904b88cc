import type { Appointment } from 'fhir/r4';
import { useMemo } from 'react';
import { calendarFile } from '../../../lib/icsCalendar';

interface CalendarFileLinkProps {
  appointment: Appointment;
  practitionerName: string | undefined;
  locationName: string | undefined;
}

/** "Add to calendar (.ics)": the booked appointment as a file any calendar app opens. */
export function CalendarFileLink({ appointment, practitionerName, locationName }: CalendarFileLinkProps) {
  const href = useMemo(() => {
    if (!appointment.id || !appointment.start || !appointment.end) return undefined;
    const text = calendarFile({
      uid: `${appointment.id}@${window.location.hostname || 'nz-appointments'}`,
      start: new Date(appointment.start),
      end: new Date(appointment.end),
      summary: practitionerName ? `Appointment with ${practitionerName}` : 'Clinic appointment',
      location: locationName,
      description: 'Booked online. To cancel, sign in to the clinic appointments app and choose Cancel.',
      stamp: new Date(),
    });
    // A data: address rather than a blob: one: nothing to revoke, and it is a few hundred bytes.
    return `data:text/calendar;charset=utf-8,${encodeURIComponent(text)}`;
  }, [appointment.id, appointment.start, appointment.end, practitionerName, locationName]);
  if (!href) return null;
  return (
    <a href={href} download={`appointment-${appointment.id}.ics`} className="button button--secondary">
      Add to calendar (.ics)
    </a>
  );
}
