/**
 * Clinic time: days, weeks and wall-clock times are the clinic's (Pacific/Auckland by default),
 * never the browser's or the server's own zone, so that "today" and a week's edges are right
 * on both sides of a daylight-saving switch.
 */
import { TZDate } from '@date-fns/tz';

export const DEFAULT_CLINIC_TIME_ZONE = 'Pacific/Auckland';

// Written by hand rather than with date-fns' `format`, whose pattern parser and locale were 5 KB of
// the app's first download for four fixed layouts.
const pad = (value: number, width = 2) => String(value).padStart(width, '0');
const calendarDate = (year: number, monthIndex: number, day: number) =>
  `${pad(year, 4)}-${pad(monthIndex + 1)}-${pad(day)}`;

/** The calendar date (YYYY-MM-DD) an instant falls on in the clinic's zone. */
export function clinicDate(instant: Date, timeZone: string): string {
  const there = new TZDate(instant, timeZone);
  return calendarDate(there.getFullYear(), there.getMonth(), there.getDate());
}

/** The calendar's words in English, as the app and the emails write dates (whatever the runtime's locale data says). */
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
/** Sunday first, as Date.getUTCDay counts. */
export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The instant of a wall-clock time (HH:mm) on a clinic date (YYYY-MM-DD). */
export function clinicInstant(date: string, time: string, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  const [hours, minutes] = time.split(':').map(Number);
  return new Date(new TZDate(year, month - 1, day, hours, minutes, 0, timeZone).getTime());
}

/** A FHIR instant written in the clinic's offset, e.g. 2026-12-01T08:30:00+13:00. */
export function toFhirInstant(instant: Date, timeZone: string): string {
  const there = new TZDate(instant, timeZone);
  // TZDate gives the zone's offset at that instant, in minutes behind UTC as Date does.
  const ahead = -there.getTimezoneOffset();
  const offset = `${ahead < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(ahead) / 60))}:${pad(Math.abs(ahead) % 60)}`;
  const time = `${pad(there.getHours())}:${pad(there.getMinutes())}:${pad(there.getSeconds())}`;
  return `${calendarDate(there.getFullYear(), there.getMonth(), there.getDate())}T${time}${offset}`;
}

/** Adds whole calendar days to a clinic date (YYYY-MM-DD): in UTC, where no day is 23 or 25 hours long. */
export function addClinicDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const moved = new Date(Date.UTC(year, month - 1, day + days));
  return calendarDate(moved.getUTCFullYear(), moved.getUTCMonth(), moved.getUTCDate());
}

/** The Monday (YYYY-MM-DD) of the clinic week that contains the given clinic date. */
export function startOfClinicWeek(date: string): string {
  return addClinicDays(date, 1 - clinicWeekday(date));
}

/** ISO day of the week of a clinic date: 1 = Monday ... 7 = Sunday. */
export function clinicWeekday(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return ((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7) + 1;
}

const numeric = 'numeric';
/** What is read of an instant in a zone: its zone's short name, or its wall clock as numbers. */
const ZONE_READINGS = {
  name: { timeZoneName: 'short' },
  wallClock: { year: numeric, month: numeric, day: numeric, hour: numeric, minute: numeric, hourCycle: 'h23' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/**
 * Made once per zone and reading: making an Intl.DateTimeFormat costs far more than formatting with one,
 * and every email writes its times (a zone's date object, TZDate, per time was most of writing one).
 */
const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(timeZone: string, reading: keyof typeof ZONE_READINGS): Intl.DateTimeFormat {
  const key = `${reading} ${timeZone}`;
  let format = zoneFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-NZ', { timeZone, ...ZONE_READINGS[reading] });
    zoneFormats.set(key, format);
  }
  return format;
}

/** The zone's short name at that instant, e.g. NZDT in summer and NZST in winter. */
export function timeZoneAbbreviation(instant: Date, timeZone: string): string {
  const parts = zoneFormat(timeZone, 'name').formatToParts(instant);
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}

/** The clinic's wall clock at an instant, as numbers: month 1-12, hour 0-23, weekday 0 (Sunday) to 6. */
export function clinicWallClock(instant: Date, timeZone: string) {
  const parts = new Map(
    zoneFormat(timeZone, 'wallClock')
      .formatToParts(instant)
      .map((part) => [part.type, Number(part.value)]),
  );
  const [year, month, day, hour, minute] = (['year', 'month', 'day', 'hour', 'minute'] as const).map(
    (type) => parts.get(type) ?? 0,
  );
  return { year, month, day, hour, minute, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay() };
}

/** The wall-clock time (HH:mm, 24-hour) of an instant in the clinic's zone: sorts as it reads. */
export function clinicTimeOfDay(instant: Date, timeZone: string): string {
  const there = new TZDate(instant, timeZone);
  return `${pad(there.getHours())}:${pad(there.getMinutes())}`;
}
