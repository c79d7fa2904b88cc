/**
 * The .ics an email carries (RFC 5545 with iTIP's METHOD, RFC 5546), made with the `ics` package from
 * the facts the outbox row holds: REQUEST to add or move the event, CANCEL to remove it, with the
 * same UID for the appointment (and its reschedules) and a SEQUENCE that rises with each change, so
 * a calendar updates its one event. Times are in UTC, which every calendar shows in its own zone.
 */
import { createEvent } from 'ics';
import { calendarEventAttributes, calendarFileFrom } from '../../domain/calendarEvent';
import type { CalendarFacts } from '../storage/outbox';

export const CALENDAR_PRODUCT_ID = '-//NZ Appointments//Appointment emails//EN';

/** The organizer is the clinic's sending address (MAIL_FROM), which iTIP asks every REQUEST and CANCEL to name. */
export function calendarFile(facts: CalendarFacts, organizer: { name?: string; email: string }, stamp: Date): string {
  const event = {
    ...facts,
    start: new Date(facts.start),
    end: new Date(facts.end),
    alarmMinutesBefore: facts.method === 'CANCEL' ? undefined : facts.alarmMinutesBefore,
  };
  return calendarFileFrom(
    createEvent({
      ...calendarEventAttributes(event, { productId: CALENDAR_PRODUCT_ID, method: facts.method }, stamp),
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
    }),
  );
}
