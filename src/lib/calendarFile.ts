/**
 * "Add to calendar": one appointment as an iCalendar file (RFC 5545), made with the `ics` package as
 * the server's emails are (server/mail/calendarFile.ts), with the same UID and SEQUENCE
 * (domain/appointmentCalendar.ts), so a calendar that has the email's event and this file keeps one.
 * METHOD:PUBLISH, because the patient imports it themselves (the email's REQUEST names an organizer).
 * The package is loaded only when a file is made, so it stays out of the app's first download.
 */
import { CALENDAR_ALARM_MINUTES_BEFORE } from '../../domain/appointmentCalendar';
import { calendarEventAttributes, calendarFileFrom, type CalendarEvent } from '../../domain/calendarEvent';

export const CALENDAR_PRODUCT_ID = '-//NZ Appointments//Add to calendar//EN';

/** What the app knows of the appointment; the alarm is the emails' own. */
export type AppointmentCalendarEvent = Omit<CalendarEvent, 'alarmMinutesBefore'>;

/** The file's text; `stamp` is when it was made (DTSTAMP, LAST-MODIFIED). */
export async function calendarFileText(event: AppointmentCalendarEvent, stamp: Date): Promise<string> {
  const { createEvent } = await import('ics');
  const withAlarm = { ...event, alarmMinutesBefore: CALENDAR_ALARM_MINUTES_BEFORE };
  return calendarFileFrom(
    createEvent(calendarEventAttributes(withAlarm, { productId: CALENDAR_PRODUCT_ID, method: 'PUBLISH' }, stamp)),
  );
}

/** Hands the file to the browser as a download named `fileName`. */
export async function downloadCalendarFile(event: AppointmentCalendarEvent, fileName: string): Promise<void> {
  const text = await calendarFileText(event, new Date());
  const url = URL.createObjectURL(new Blob([text], { type: 'text/calendar;charset=utf-8' }));
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.click();
  } finally {
    // The click has started the download; the address is not needed after this task.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
