/**
 * One calendar event per appointment, whoever makes the calendar file: the server's emails do, and the
 * app's "Add to calendar" can use the same UID, so a calendar that has both keeps one event. An
 * appointment and those that replace it by $reschedule share the first one's UID; a rising SEQUENCE
 * tells a calendar which change is newer.
 */

/** The UID of the event whose chain of reschedules starts with this appointment (names this software, resolves nowhere). */
export function appointmentCalendarUid(firstAppointmentId: string): string {
  return `appointment-${firstAppointmentId}@nz-appointments.example.org`;
}

/** The reminder alarm in every calendar file, emailed or downloaded: an hour before, whatever the email reminder does. */
export const CALENDAR_ALARM_MINUTES_BEFORE = 60;
