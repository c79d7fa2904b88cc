/**
 * "Add to calendar": one appointment as an iCalendar file (RFC 5545), made with the `ics` package as
 * the server's emails are (server/mail/calendarFile.ts), with the same UID and SEQUENCE
 * (domain/appointmentCalendar.ts), so a calendar that has the email's event and this file keeps one.
 * METHOD:PUBLISH, because the patient imports it themselves (the email's REQUEST names an organizer).
 * The package is loaded only when a file is made, so it stays out of the app's first download.
 */
import type { EventAttributes } from 'ics';
import { CALENDAR_ALARM_MINUTES_BEFORE } from '../../domain/appointmentCalendar';

export const CALENDAR_PRODUCT_ID = '-//NZ Appointments//Add to calendar//EN';

export interface AppointmentCalendarEvent {
  /** appointmentCalendarUid of the first appointment of the chain of reschedules. */
  uid: string;
  /** How many times the chain was moved: a calendar keeps the event with the higher SEQUENCE. */
  sequence: number;
  start: Date;
  end: Date;
  summary: string;
  /** The clinic's name and street address. */
  location?: string;
  description?: string;
}

/** The file's text; `stamp` is when it was made (DTSTAMP, LAST-MODIFIED). */
export async function calendarFileText(event: AppointmentCalendarEvent, stamp: Date): Promise<string> {
  const { createEvent } = await import('ics');
  const attributes: EventAttributes = {
    productId: CALENDAR_PRODUCT_ID,
    method: 'PUBLISH',
    uid: event.uid,
    sequence: event.sequence,
    start: event.start.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: event.end.getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    title: event.summary,
    ...(event.location ? { location: event.location } : {}),
    ...(event.description ? { description: event.description } : {}),
    status: 'CONFIRMED',
    busyStatus: 'BUSY',
    alarms: [
      {
        action: 'display',
        description: `Reminder: ${event.summary}`,
        trigger: { minutes: CALENDAR_ALARM_MINUTES_BEFORE, before: true },
      },
    ],
    lastModified: stamp.getTime(),
  };
  const { error, value } = createEvent(attributes);
  if (error || !value) throw new Error(`The calendar file could not be made: ${error?.message ?? 'no output'}`);
  // The package folds at 75 characters, not octets (a macron makes a line too long): unfolded and folded again.
  const unfolded = value
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)
    .filter((line) => line.length > 0);
  return `${unfolded.map(foldLine).join('\r\n')}\r\n`;
}

const encoder = new TextEncoder();

/** Folds a content line into pieces of at most 75 octets, never inside a character (RFC 5545 3.1). */
export function foldLine(line: string): string {
  const pieces: string[] = [];
  let current = '';
  let octets = 0;
  for (const character of line) {
    const size = encoder.encode(character).length;
    // A continuation line's leading space counts towards its 75.
    if (octets + size > (pieces.length === 0 ? 75 : 74)) {
      pieces.push(current);
      current = '';
      octets = 0;
    }
    current += character;
    octets += size;
  }
  pieces.push(current);
  return pieces.join('\r\n ');
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
