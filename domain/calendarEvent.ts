/**
 * One appointment as an iCalendar event (RFC 5545), the same for the server's emails and the app's
 * "Add to calendar": the `ics` package's attributes, and its output folded as the RFC asks. The
 * package itself is not imported here (types only), so each side loads it as it needs: the app only
 * when a patient presses the button.
 */
import type { EventAttributes, ReturnObject } from 'ics';

export interface CalendarEvent {
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
  /** A display alarm this long before the start; none on a cancellation. */
  alarmMinutesBefore?: number;
}

/**
 * The attributes both files share: times in UTC (every calendar shows them in its own zone), CONFIRMED
 * and BUSY, or CANCELLED and FREE for METHOD:CANCEL. `stamp` is when the file was made.
 */
export function calendarEventAttributes(
  event: CalendarEvent,
  file: { productId: string; method: 'PUBLISH' | 'REQUEST' | 'CANCEL' },
  stamp: Date,
): EventAttributes {
  const cancel = file.method === 'CANCEL';
  return {
    productId: file.productId,
    method: file.method,
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
    status: cancel ? 'CANCELLED' : 'CONFIRMED',
    busyStatus: cancel ? 'FREE' : 'BUSY',
    ...(!cancel && event.alarmMinutesBefore !== undefined
      ? {
          alarms: [
            {
              action: 'display',
              description: `Reminder: ${event.summary}`,
              trigger: { minutes: event.alarmMinutesBefore, before: true },
            },
          ],
        }
      : {}),
    lastModified: stamp.getTime(),
  };
}

/** The package's answer as the file's text, or an error saying it could not be made. */
export function calendarFileFrom({ error, value }: ReturnObject): string {
  if (error || !value) throw new Error(`The calendar file could not be made: ${error?.message ?? 'no output'}`);
  // The package folds at 75 characters, not octets (a macron makes a line too long): unfolded and folded again.
  const unfolded = value
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)
    .filter((line) => line.length > 0);
  return `${unfolded.map(foldLine).join('\r\n')}\r\n`;
}

/** How many octets a character takes in UTF-8, the encoding iCalendar files are in. */
function utf8Octets(character: string): number {
  const codePoint = character.codePointAt(0) ?? 0;
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** Folds a content line into pieces of at most 75 octets, never inside a character (RFC 5545 3.1). */
export function foldLine(line: string): string {
  const pieces: string[] = [];
  let current = '';
  let octets = 0;
  for (const character of line) {
    const size = utf8Octets(character);
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
