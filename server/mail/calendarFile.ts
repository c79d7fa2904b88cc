/**
 * The .ics an email carries (RFC 5545 with iTIP's METHOD, RFC 5546), made with the `ics` package from
 * the facts the outbox row holds: REQUEST to add or move the event, CANCEL to remove it, with the
 * same UID for the appointment (and its reschedules) and a SEQUENCE that rises with each change, so
 * a calendar updates its one event. Times are in UTC, which every calendar shows in its own zone.
 */
import { createEvent, type EventAttributes } from 'ics';
import type { CalendarFacts } from '../storage/outbox';

export const CALENDAR_PRODUCT_ID = '-//NZ Appointments//Appointment emails//EN';

/** The organizer is the clinic's sending address (MAIL_FROM), which iTIP asks every REQUEST and CANCEL to name. */
export function calendarFile(facts: CalendarFacts, organizer: { name?: string; email: string }, stamp: Date): string {
  const cancel = facts.method === 'CANCEL';
  const attributes: EventAttributes = {
    productId: CALENDAR_PRODUCT_ID,
    method: facts.method,
    uid: facts.uid,
    sequence: facts.sequence,
    start: new Date(facts.start).getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: new Date(facts.end).getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    title: facts.summary,
    ...(facts.location ? { location: facts.location } : {}),
    ...(facts.description ? { description: facts.description } : {}),
    status: cancel ? 'CANCELLED' : 'CONFIRMED',
    busyStatus: cancel ? 'FREE' : 'BUSY',
    organizer: { ...(organizer.name ? { name: organizer.name } : {}), email: organizer.email },
    ...(facts.attendee
      ? {
          attendees: [
            {
              name: facts.attendee.name,
              email: facts.attendee.email,
              rsvp: false,
              partstat: 'ACCEPTED',
              role: 'REQ-PARTICIPANT',
            },
          ],
        }
      : {}),
    ...(!cancel && facts.alarmMinutesBefore !== undefined
      ? {
          alarms: [
            {
              action: 'display',
              description: `Reminder: ${facts.summary}`,
              trigger: { minutes: facts.alarmMinutesBefore, before: true },
            },
          ],
        }
      : {}),
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
