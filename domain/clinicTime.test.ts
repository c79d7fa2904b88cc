/**
 * Clinic days and wall-clock times in Pacific/Auckland, on the two 2026 daylight-saving switch days:
 * Sunday 5 April (NZDT +13 -> NZST +12 at 03:00, a 25-hour day) and Sunday 27 September
 * (NZST +12 -> NZDT +13 at 02:00, a 23-hour day). None of it may depend on the process's own zone.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseInstant } from './appointmentRules';
import {
  DEFAULT_CLINIC_TIME_ZONE,
  addClinicDays,
  clinicDate,
  clinicInstant,
  clinicWeekday,
  startOfClinicWeek,
  timeZoneAbbreviation,
  toFhirInstant,
} from './clinicTime';

const AUCKLAND = 'Pacific/Auckland';
const HOUR = 60 * 60 * 1000;

const at = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();

it('defaults to the Auckland zone', () => {
  expect(DEFAULT_CLINIC_TIME_ZONE).toBe(AUCKLAND);
});

describe('clinicInstant', () => {
  it('reads a wall-clock time in summer at +13:00 and in winter at +12:00', () => {
    expect(iso(clinicInstant('2026-12-01', '08:30', AUCKLAND))).toBe('2026-11-30T19:30:00.000Z');
    expect(iso(clinicInstant('2026-07-01', '08:30', AUCKLAND))).toBe('2026-06-30T20:30:00.000Z');
  });

  it('makes 5 April 2026 a 25-hour clinic day', () => {
    const start = clinicInstant('2026-04-05', '00:00', AUCKLAND);
    const next = clinicInstant('2026-04-06', '00:00', AUCKLAND);
    expect(iso(start)).toBe('2026-04-04T11:00:00.000Z');
    expect(iso(next)).toBe('2026-04-05T12:00:00.000Z');
    expect(next.getTime() - start.getTime()).toBe(25 * HOUR);
  });

  it('makes 27 September 2026 a 23-hour clinic day', () => {
    const start = clinicInstant('2026-09-27', '00:00', AUCKLAND);
    const next = clinicInstant('2026-09-28', '00:00', AUCKLAND);
    expect(iso(start)).toBe('2026-09-26T12:00:00.000Z');
    expect(iso(next)).toBe('2026-09-27T11:00:00.000Z');
    expect(next.getTime() - start.getTime()).toBe(23 * HOUR);
  });

  it("uses each side's offset either side of the April switch", () => {
    expect(iso(clinicInstant('2026-04-05', '01:59', AUCKLAND))).toBe('2026-04-04T12:59:00.000Z');
    expect(iso(clinicInstant('2026-04-05', '03:00', AUCKLAND))).toBe('2026-04-04T15:00:00.000Z');
    expect(iso(clinicInstant('2026-04-05', '09:00', AUCKLAND))).toBe('2026-04-04T21:00:00.000Z');
  });

  it('gives one of the two real instants for a time that happens twice (02:30 on 5 April)', () => {
    const instant = clinicInstant('2026-04-05', '02:30', AUCKLAND);
    expect(['2026-04-04T13:30:00.000Z', '2026-04-04T14:30:00.000Z']).toContain(iso(instant));
    expect(toFhirInstant(instant, AUCKLAND)).toMatch(/^2026-04-05T02:30:00\+1[23]:00$/);
  });

  it("uses each side's offset either side of the September switch", () => {
    expect(iso(clinicInstant('2026-09-27', '01:59', AUCKLAND))).toBe('2026-09-26T13:59:00.000Z');
    expect(iso(clinicInstant('2026-09-27', '03:00', AUCKLAND))).toBe('2026-09-26T14:00:00.000Z');
    expect(iso(clinicInstant('2026-09-27', '09:00', AUCKLAND))).toBe('2026-09-26T20:00:00.000Z');
  });

  it('moves a time that never happens (02:30 on 27 September) forward by the hour skipped', () => {
    const instant = clinicInstant('2026-09-27', '02:30', AUCKLAND);
    expect(iso(instant)).toBe('2026-09-26T14:30:00.000Z');
    expect(toFhirInstant(instant, AUCKLAND)).toBe('2026-09-27T03:30:00+13:00');
  });

  it('reads the time in the zone it is given', () => {
    expect(iso(clinicInstant('2026-04-05', '09:00', 'UTC'))).toBe('2026-04-05T09:00:00.000Z');
    expect(iso(clinicInstant('2026-04-05', '09:00', 'Pacific/Chatham'))).toBe('2026-04-04T20:15:00.000Z');
  });
});

describe('clinicDate', () => {
  it('gives the Auckland date, which is a day ahead of UTC in the evening UTC', () => {
    expect(clinicDate(at('2026-11-30T10:59:59.999Z'), AUCKLAND)).toBe('2026-11-30');
    expect(clinicDate(at('2026-11-30T11:00:00.000Z'), AUCKLAND)).toBe('2026-12-01');
    expect(clinicDate(at('2026-07-01T11:59:59.999Z'), AUCKLAND)).toBe('2026-07-01');
    expect(clinicDate(at('2026-07-01T12:00:00.000Z'), AUCKLAND)).toBe('2026-07-02');
  });

  it('puts the 25 hours of 5 April and the 23 hours of 27 September on their own dates', () => {
    expect(clinicDate(at('2026-04-04T10:59:59.999Z'), AUCKLAND)).toBe('2026-04-04');
    expect(clinicDate(at('2026-04-04T11:00:00.000Z'), AUCKLAND)).toBe('2026-04-05');
    expect(clinicDate(at('2026-04-05T11:59:59.999Z'), AUCKLAND)).toBe('2026-04-05');
    expect(clinicDate(at('2026-04-05T12:00:00.000Z'), AUCKLAND)).toBe('2026-04-06');
    expect(clinicDate(at('2026-09-26T11:59:59.999Z'), AUCKLAND)).toBe('2026-09-26');
    expect(clinicDate(at('2026-09-26T12:00:00.000Z'), AUCKLAND)).toBe('2026-09-27');
    expect(clinicDate(at('2026-09-27T10:59:59.999Z'), AUCKLAND)).toBe('2026-09-27');
    expect(clinicDate(at('2026-09-27T11:00:00.000Z'), AUCKLAND)).toBe('2026-09-28');
  });

  it('is the date clinicInstant started from, for every hour of both switch days', () => {
    for (const date of ['2026-04-05', '2026-09-27']) {
      for (let hour = 0; hour < 24; hour++) {
        const time = `${String(hour).padStart(2, '0')}:15`;
        expect(clinicDate(clinicInstant(date, time, AUCKLAND), AUCKLAND), `${date} ${time}`).toBe(date);
      }
    }
  });
});

describe('toFhirInstant', () => {
  it("writes the instant in the clinic's offset, with seconds", () => {
    expect(toFhirInstant(at('2026-11-30T19:30:00Z'), AUCKLAND)).toBe('2026-12-01T08:30:00+13:00');
    expect(toFhirInstant(at('2026-06-30T20:30:45Z'), AUCKLAND)).toBe('2026-07-01T08:30:45+12:00');
    expect(toFhirInstant(at('2026-06-30T20:30:00Z'), 'UTC')).toBe('2026-06-30T20:30:00+00:00');
  });

  it('changes offset at the instant of each switch', () => {
    expect(toFhirInstant(at('2026-04-04T13:59:59Z'), AUCKLAND)).toBe('2026-04-05T02:59:59+13:00');
    expect(toFhirInstant(at('2026-04-04T14:00:00Z'), AUCKLAND)).toBe('2026-04-05T02:00:00+12:00');
    expect(toFhirInstant(at('2026-09-26T13:59:59Z'), AUCKLAND)).toBe('2026-09-27T01:59:59+12:00');
    expect(toFhirInstant(at('2026-09-26T14:00:00Z'), AUCKLAND)).toBe('2026-09-27T03:00:00+13:00');
  });

  it('writes what parseInstant reads back as the same instant, each half hour across both switches', () => {
    for (const from of ['2026-04-04T10:00:00Z', '2026-09-26T10:00:00Z']) {
      for (let step = 0; step < 16; step++) {
        const instant = new Date(at(from).getTime() + (step * HOUR) / 2);
        const written = toFhirInstant(instant, AUCKLAND);
        expect(parseInstant(written)?.getTime(), written).toBe(instant.getTime());
      }
    }
  });
});

describe('timeZoneAbbreviation', () => {
  it('says NZDT in summer and NZST in winter, switching at the right instants', () => {
    expect(timeZoneAbbreviation(at('2026-04-04T13:59:59Z'), AUCKLAND)).toBe('NZDT');
    expect(timeZoneAbbreviation(at('2026-04-04T14:00:00Z'), AUCKLAND)).toBe('NZST');
    expect(timeZoneAbbreviation(at('2026-09-26T13:59:59Z'), AUCKLAND)).toBe('NZST');
    expect(timeZoneAbbreviation(at('2026-09-26T14:00:00Z'), AUCKLAND)).toBe('NZDT');
  });
});

describe('calendar arithmetic on clinic dates', () => {
  it('adds whole days across both switch days, month and year ends and 29 February', () => {
    expect(addClinicDays('2026-04-04', 1)).toBe('2026-04-05');
    expect(addClinicDays('2026-04-05', 1)).toBe('2026-04-06');
    expect(addClinicDays('2026-04-02', 7)).toBe('2026-04-09');
    expect(addClinicDays('2026-09-27', -1)).toBe('2026-09-26');
    expect(addClinicDays('2026-09-28', -2)).toBe('2026-09-26');
    expect(addClinicDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addClinicDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addClinicDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addClinicDays('2026-04-05', 0)).toBe('2026-04-05');
  });

  it('starts the clinic week on Monday, including for the switch Sundays', () => {
    expect(startOfClinicWeek('2026-04-05')).toBe('2026-03-30');
    expect(startOfClinicWeek('2026-04-06')).toBe('2026-04-06');
    expect(startOfClinicWeek('2026-09-27')).toBe('2026-09-21');
    expect(startOfClinicWeek('2026-09-22')).toBe('2026-09-21');
    expect(startOfClinicWeek('2027-01-01')).toBe('2026-12-28');
  });

  it('numbers weekdays from Monday 1 to Sunday 7', () => {
    expect(clinicWeekday('2026-04-05')).toBe(7);
    expect(clinicWeekday('2026-04-06')).toBe(1);
    expect(clinicWeekday('2026-09-27')).toBe(7);
    expect(clinicWeekday('2026-10-02')).toBe(5);
  });
});

describe("independence from the process's time zone", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  /** Runs the sample with the process (as a browser or server would be) in each zone. */
  function inZones<T>(zones: string[], sample: () => T): Array<[string, T]> {
    return zones.map((zone) => {
      // Node applies a new TZ to Date at once; stubEnv puts the old one back after the test.
      vi.stubEnv('TZ', zone);
      return [zone, sample()];
    });
  }

  it('reads and writes clinic dates the same whatever zone the browser or server runs in', () => {
    const sample = () => ({
      date: [clinicDate(at('2026-04-04T11:00:00Z'), AUCKLAND), clinicDate(at('2026-09-27T10:59:59Z'), AUCKLAND)],
      written: [
        toFhirInstant(at('2026-04-04T14:00:00Z'), AUCKLAND),
        toFhirInstant(at('2026-09-26T14:00:00Z'), AUCKLAND),
      ],
      // America/Santiago skips midnight on 6 September 2026, so local-midnight arithmetic could slip there.
      days: [
        addClinicDays('2026-09-05', 1),
        addClinicDays('2026-09-06', 1),
        addClinicDays('2026-04-05', 1),
        addClinicDays('2026-09-28', -1),
      ],
      week: [startOfClinicWeek('2026-09-06'), startOfClinicWeek('2026-09-07'), startOfClinicWeek('2026-04-05')],
      weekday: [clinicWeekday('2026-09-06'), clinicWeekday('2026-04-05')],
    });
    const expected = {
      date: ['2026-04-05', '2026-09-27'],
      written: ['2026-04-05T02:00:00+12:00', '2026-09-27T03:00:00+13:00'],
      days: ['2026-09-06', '2026-09-07', '2026-04-06', '2026-09-27'],
      week: ['2026-08-31', '2026-09-07', '2026-03-30'],
      weekday: [7, 7],
    };
    for (const [zone, result] of inZones(
      ['UTC', 'Pacific/Auckland', 'America/Santiago', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Kiritimati'],
      sample,
    )) {
      expect(result, zone).toEqual(expected);
    }
  });

  it("finds the switch days' edges and skipped hour the same in zones with no transition of their own near them", () => {
    const sample = () => [
      iso(clinicInstant('2026-04-05', '00:00', AUCKLAND)),
      iso(clinicInstant('2026-04-06', '00:00', AUCKLAND)),
      iso(clinicInstant('2026-09-27', '00:00', AUCKLAND)),
      iso(clinicInstant('2026-09-27', '02:30', AUCKLAND)),
      iso(clinicInstant('2026-09-28', '00:00', AUCKLAND)),
    ];
    const expected = [
      '2026-04-04T11:00:00.000Z',
      '2026-04-05T12:00:00.000Z',
      '2026-09-26T12:00:00.000Z',
      '2026-09-26T14:30:00.000Z',
      '2026-09-27T11:00:00.000Z',
    ];
    for (const [zone, result] of inZones(
      ['UTC', 'Pacific/Auckland', 'America/Los_Angeles', 'Europe/London', 'Asia/Kolkata', 'Pacific/Kiritimati'],
      sample,
    )) {
      expect(result, zone).toEqual(expected);
    }
  });
});

describe('offsets other than New Zealand’s', () => {
  it('writes negative and half-hour offsets as FHIR asks (±hh:mm)', () => {
    const instant = new Date('2026-07-01T12:00:00Z');
    expect(toFhirInstant(instant, 'America/St_Johns')).toBe('2026-07-01T09:30:00-02:30');
    expect(toFhirInstant(instant, 'Asia/Kolkata')).toBe('2026-07-01T17:30:00+05:30');
    expect(toFhirInstant(instant, 'UTC')).toBe('2026-07-01T12:00:00+00:00');
  });

  it('adds days and finds Mondays by the calendar alone, whatever zone this process runs in', () => {
    expect(addClinicDays('2026-04-04', 1)).toBe('2026-04-05');
    expect(addClinicDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addClinicDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(startOfClinicWeek('2026-09-27')).toBe('2026-09-21');
    expect(startOfClinicWeek('2026-09-28')).toBe('2026-09-28');
  });
});
