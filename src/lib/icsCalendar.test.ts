import { describe, expect, it } from 'vitest';
import { calendarFile, foldLine, icsText, icsUtc } from './icsCalendar';

const event = {
  uid: 'appt-1@clinic.test',
  // 8:30 am NZDT on 1 December 2026 is 19:30 UTC the day before.
  start: new Date('2026-12-01T08:30:00+13:00'),
  end: new Date('2026-12-01T08:45:00+13:00'),
  summary: 'Appointment with Dr Mere Parata',
  location: 'Ponsonby Family Health, 12 Richmond Road; Auckland',
  stamp: new Date('2026-11-20T01:02:03.456Z'),
};

describe('calendar file', () => {
  it('writes one event with UTC times, a UID, summary and location, in CRLF lines', () => {
    const text = calendarFile(event);
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    expect(lines).toContain('UID:appt-1@clinic.test');
    expect(lines).toContain('DTSTART:20261130T193000Z');
    expect(lines).toContain('DTEND:20261130T194500Z');
    expect(lines).toContain('DTSTAMP:20261120T010203Z');
    expect(lines).toContain('SUMMARY:Appointment with Dr Mere Parata');
    expect(lines).toContain('LOCATION:Ponsonby Family Health\\, 12 Richmond Road\\; Auckland');
    expect(lines.indexOf('BEGIN:VEVENT')).toBeLessThan(lines.indexOf('END:VEVENT'));
    expect(text).not.toMatch(/[^\r]\n/);
  });

  it('leaves out a location it was not given', () => {
    expect(calendarFile({ ...event, location: undefined })).not.toContain('LOCATION');
  });

  it('escapes backslashes, semicolons, commas and newlines in text', () => {
    expect(icsText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('keeps whole seconds in UTC across the daylight-saving switch', () => {
    // NZST (+12) in winter.
    expect(icsUtc(new Date('2026-07-01T09:00:00+12:00'))).toBe('20260630T210000Z');
  });

  it('folds long lines at 75 octets without splitting a character', () => {
    const long = `SUMMARY:${'Whānau hui '.repeat(12)}`;
    const folded = foldLine(long);
    const pieces = folded.split('\r\n');
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(new TextEncoder().encode(piece).length).toBeLessThanOrEqual(75);
    expect(pieces.slice(1).every((piece) => piece.startsWith(' '))).toBe(true);
    expect(pieces.map((piece, index) => (index === 0 ? piece : piece.slice(1))).join('')).toBe(long);
  });
});
