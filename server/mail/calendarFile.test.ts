import { describe, expect, it } from 'vitest';
import { calendarFile } from './calendarFile';

const facts = {
  uid: 'appointment-abc@nz-appointments.example.org',
  sequence: 1,
  method: 'REQUEST' as const,
  start: '2030-03-04T20:00:00.000Z',
  end: '2030-03-04T20:15:00.000Z',
  summary: 'Appointment with Dr Anna Tūhoe-Smith at Ponsonby Family Health',
  location: 'Ponsonby Family Health, 12 Ponsonby Road, Auckland 1011',
  attendee: { name: 'Aroha', email: 'aroha@example.com' },
  alarmMinutesBefore: 60,
};
const organizer = { name: 'Ponsonby Family Health', email: 'appointments@clinic.example.nz' };

/** The content lines, unfolded (RFC 5545 3.1). */
const lines = (ics: string) => ics.replace(/\r\n[ \t]/g, '').split('\r\n');

describe('calendarFile', () => {
  it('makes a REQUEST with the UID, SEQUENCE, times in UTC, organizer, attendee and a display alarm', () => {
    const ics = calendarFile(facts, organizer, new Date('2030-03-01T00:00:00Z'));
    expect(ics).toMatch(/\r\n$/);
    expect(ics.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    const found = lines(ics);
    expect(found).toContain('METHOD:REQUEST');
    expect(found).toContain('UID:appointment-abc@nz-appointments.example.org');
    expect(found).toContain('SEQUENCE:1');
    expect(found).toContain('DTSTART:20300304T200000Z');
    expect(found).toContain('DTEND:20300304T201500Z');
    expect(found).toContain('STATUS:CONFIRMED');
    expect(found.some((line) => /^ORGANIZER;.*:MAILTO:appointments@clinic\.example\.nz$/i.test(line))).toBe(true);
    expect(found.some((line) => /^ATTENDEE;.*:mailto:aroha@example\.com$/i.test(line))).toBe(true);
    expect(found).toContain('BEGIN:VALARM');
    expect(found.some((line) => /^TRIGGER:-PT(60M|1H)$/.test(line))).toBe(true);
  });

  it('makes a CANCEL without an alarm', () => {
    const found = lines(
      calendarFile({ ...facts, method: 'CANCEL', sequence: 2, alarmMinutesBefore: undefined }, organizer, new Date()),
    );
    expect(found).toContain('METHOD:CANCEL');
    expect(found).toContain('STATUS:CANCELLED');
    expect(found).toContain('SEQUENCE:2');
    expect(found).not.toContain('BEGIN:VALARM');
  });
});
