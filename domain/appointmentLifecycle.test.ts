import type { Appointment } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  CANCELLATION_REASON_SYSTEM,
  cancellationReasonOf,
  checkCancellationReason,
  checkStatusChange,
} from './appointmentLifecycle';
import { clinicInstant } from './clinicTime';

const ZONE = 'Pacific/Auckland';
const appointment = (status: Appointment['status'], start = '2030-03-05T09:00:00+13:00'): Appointment => ({
  resourceType: 'Appointment',
  status,
  start,
  participant: [],
});
const at = (date: string, time: string) => clinicInstant(date, time, ZONE);
const change = (status: Appointment['status'], to: unknown, now: Date) =>
  checkStatusChange(appointment(status), to, now, ZONE);

describe('checkStatusChange', () => {
  it('allows the table: booked -> arrived -> fulfilled, booked -> noshow, and the undos on the day', () => {
    const onTheDay = at('2030-03-05', '09:30');
    for (const [from, to] of [
      ['booked', 'arrived'],
      ['arrived', 'fulfilled'],
      ['booked', 'noshow'],
      ['arrived', 'booked'],
      ['noshow', 'booked'],
    ] as const) {
      expect(change(from, to, onTheDay).problems, `${from} -> ${to}`).toEqual([]);
    }
  });

  it('refuses anything else, naming what is allowed, on Appointment.status', () => {
    const { problems } = change('booked', 'fulfilled', at('2030-03-05', '09:30'));
    expect(problems[0]).toMatchObject({ code: 'business-rule', expression: ['Appointment.status'] });
    expect(problems[0].diagnostics).toMatch(/"arrived" or "noshow"/);
    expect(change('cancelled', 'booked', at('2030-03-05', '09:30')).problems[0].diagnostics).toMatch(/cannot change/);
    expect(change('booked', 'cancelled', at('2030-03-05', '09:30')).problems[0].diagnostics).toMatch(/\$cancel/);
    expect(change('booked', 42, at('2030-03-05', '09:30')).problems[0].code).toBe('value');
  });

  it('arrivals only on the clinic day, did-not-attend only after the start, undos only on the day', () => {
    expect(change('booked', 'arrived', at('2030-03-04', '23:59')).problems[0].diagnostics).toMatch(/not today/);
    expect(change('booked', 'arrived', at('2030-03-06', '00:01')).problems[0].diagnostics).toMatch(/earlier day/);
    expect(change('booked', 'noshow', at('2030-03-05', '08:59')).problems).toHaveLength(1);
    expect(change('arrived', 'booked', at('2030-03-06', '08:00')).problems).toHaveLength(1);
    // The clinic's day, not UTC's: 00:30 NZDT is the previous day in UTC.
    expect(
      checkStatusChange(appointment('booked', '2030-03-05T00:30:00+13:00'), 'arrived', at('2030-03-05', '00:10'), ZONE)
        .problems,
    ).toEqual([]);
  });
});

describe('checkCancellationReason', () => {
  const paths = { reason: 'reason', note: 'note' };
  it('takes a code of the R4 value set and a note of at most 500 characters', () => {
    expect(
      checkCancellationReason({ system: CANCELLATION_REASON_SYSTEM, code: 'oth-err' }, 'x'.repeat(500), paths),
    ).toEqual([]);
    expect(cancellationReasonOf('pat', 'Feeling better')).toEqual({
      coding: [{ system: CANCELLATION_REASON_SYSTEM, code: 'pat', display: 'Patient' }],
      text: 'Feeling better',
    });
  });

  it('refuses other codes and systems, a missing reason and a long note, each on its field', () => {
    expect(
      checkCancellationReason({ system: CANCELLATION_REASON_SYSTEM, code: 'bored' }, undefined, paths)[0],
    ).toMatchObject({ code: 'code-invalid', expression: ['reason'] });
    expect(checkCancellationReason({ system: 'http://example.org', code: 'pat' }, undefined, paths)[0].code).toBe(
      'code-invalid',
    );
    expect(
      checkCancellationReason({ system: CANCELLATION_REASON_SYSTEM, code: 'constructor' }, undefined, paths)[0].code,
    ).toBe('code-invalid');
    expect(checkCancellationReason(undefined, undefined, paths)[0].code).toBe('required');
    expect(
      checkCancellationReason({ system: CANCELLATION_REASON_SYSTEM, code: 'pat' }, 'x'.repeat(501), paths)[0],
    ).toMatchObject({ code: 'too-long', expression: ['note'] });
  });
});
