import { describe, expect, it } from 'vitest';
import { appointmentCalendarUid } from '../../domain/appointmentCalendar';
import { calendarFileText, type AppointmentCalendarEvent } from './calendarFile';

const event: AppointmentCalendarEvent = {
  uid: appointmentCalendarUid('appt-1'),
  sequence: 2,
  // 8:30 am NZDT on 1 December 2026 is 19:30 UTC the day before.
  start: new Date('2026-12-01T08:30:00+13:00'),
  end: new Date('2026-12-01T08:45:00+13:00'),
  summary: 'Appointment with Dr Mere Parata at Ponsonby Family Health',
  location: 'Ponsonby Family Health, 12 Richmond Road; Auckland',
  description: 'Clinic phone: 09 555 0101',
};
const stamp = new Date('2026-11-20T01:02:03.456Z');

describe('calendar file', () => {
  it('is one published event with the shared UID, its SEQUENCE, UTC times, the clinic and an alarm an hour before', async () => {
    const text = await calendarFileText(event, stamp);
    const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text).not.toMatch(/[^\r]\n/);
    expect(lines).toContain('METHOD:PUBLISH');
    expect(lines).toContain('UID:appointment-appt-1@nz-appointments.example.org');
    expect(lines).toContain('SEQUENCE:2');
    expect(lines).toContain('DTSTART:20261130T193000Z');
    expect(lines).toContain('DTEND:20261130T194500Z');
    expect(lines).toContain('SUMMARY:Appointment with Dr Mere Parata at Ponsonby Family Health');
    expect(lines).toContain('LOCATION:Ponsonby Family Health\\, 12 Richmond Road\\; Auckland');
    const alarm = lines.slice(lines.indexOf('BEGIN:VALARM'), lines.indexOf('END:VALARM'));
    expect(alarm).toContain('ACTION:DISPLAY');
    expect(alarm).toContain('TRIGGER:-PT60M');
    expect(lines.indexOf('BEGIN:VALARM')).toBeGreaterThan(lines.indexOf('BEGIN:VEVENT'));
    expect(lines.indexOf('END:VALARM')).toBeLessThan(lines.indexOf('END:VEVENT'));
  });

  it('leaves out a location it was not given', async () => {
    expect(await calendarFileText({ ...event, location: undefined }, stamp)).not.toContain('LOCATION');
  });

  it('folds long lines at 75 octets without splitting a character', async () => {
    const text = await calendarFileText({ ...event, summary: `Hui ${'Whānau ō Ōtāhuhu '.repeat(8)}` }, stamp);
    const pieces = text.split('\r\n');
    for (const piece of pieces) expect(new TextEncoder().encode(piece).length).toBeLessThanOrEqual(75);
    expect(text.replace(/\r\n /g, '')).toContain(`SUMMARY:Hui ${'Whānau ō Ōtāhuhu '.repeat(8).trim()}`);
  });
});
