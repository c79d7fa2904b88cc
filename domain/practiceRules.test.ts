import { describe, expect, it } from 'vitest';
import {
  checkChangeCutoff,
  checkPatientBooking,
  checkSlotlessBooking,
  DEFAULT_PRACTICE_RULES,
  isChangeCutoffIssue,
} from './practiceRules';

const NOW = new Date('2030-03-04T19:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
const paths = { start: 'Appointment.start', slot: 'Appointment.slot[0]' };
const booking = (start: Date, futureBookings = 0, onlineBookable = true) => ({ start, futureBookings, onlineBookable });

describe('the practice rules for patients, as warnings for staff', () => {
  it('books from the minimum notice to the horizon, within the number of future bookings', () => {
    expect(checkPatientBooking('patient', booking(minutes(60)), NOW, DEFAULT_PRACTICE_RULES, paths)).toEqual([]);
    expect(
      checkPatientBooking('patient', booking(minutes(59)), NOW, DEFAULT_PRACTICE_RULES, paths)[0].diagnostics,
    ).toMatch(/close 1 hour before/);
    expect(
      checkPatientBooking('patient', booking(minutes(28 * 24 * 60 + 1)), NOW, DEFAULT_PRACTICE_RULES, paths)[0]
        .diagnostics,
    ).toMatch(/28 days ahead/);
    expect(
      checkPatientBooking('patient', booking(minutes(120), 3), NOW, DEFAULT_PRACTICE_RULES, paths)[0].diagnostics,
    ).toMatch(/at most 3/);
    expect(
      checkPatientBooking('patient', booking(minutes(120), 0, false), NOW, DEFAULT_PRACTICE_RULES, paths)[0],
    ).toMatchObject({ expression: ['Appointment.slot[0]'] });
  });

  it('gives staff and machines the same issues as warnings', () => {
    const warned = checkPatientBooking('staff', booking(minutes(5), 9, false), NOW, DEFAULT_PRACTICE_RULES, paths);
    expect(warned).toHaveLength(3);
    expect(warned.every((found) => found.severity === 'warning')).toBe(true);
    expect(
      checkChangeCutoff('machine', minutes(10), NOW, DEFAULT_PRACTICE_RULES, 'Appointment.start')[0].severity,
    ).toBe('warning');
  });

  it('cancels and reschedules until the cut-off, then says to phone', () => {
    expect(checkChangeCutoff('patient', minutes(120), NOW, DEFAULT_PRACTICE_RULES, 'Appointment.start')).toEqual([]);
    expect(
      checkChangeCutoff('patient', minutes(119), NOW, DEFAULT_PRACTICE_RULES, 'Appointment.start')[0].diagnostics,
    ).toMatch(/2 hours before the start: please phone the clinic/);
  });

  it('codes the cut-off so a client can tell it from other refusals', () => {
    const [tooLate] = checkChangeCutoff('patient', minutes(30), NOW, DEFAULT_PRACTICE_RULES, 'Appointment.start');
    expect(isChangeCutoffIssue(tooLate)).toBe(true);
    const [otherRule] = checkPatientBooking(
      'patient',
      booking(minutes(5), 0, true),
      NOW,
      DEFAULT_PRACTICE_RULES,
      paths,
    );
    expect(isChangeCutoffIssue(otherRule)).toBe(false);
  });

  it('slot-less: never for patients, at most 2 hours for the others', () => {
    const slotless = { slot: 'Appointment.slot', end: 'Appointment.end' };
    expect(checkSlotlessBooking('patient', minutes(60), minutes(75), slotless)[0].expression).toEqual([
      'Appointment.slot',
    ]);
    expect(checkSlotlessBooking('staff', minutes(60), minutes(180), slotless)).toEqual([]);
    expect(checkSlotlessBooking('machine', minutes(60), minutes(181), slotless)[0].expression).toEqual([
      'Appointment.end',
    ]);
  });
});
