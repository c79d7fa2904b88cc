/**
 * Clinic time: days, weeks and wall-clock times are the clinic's (Pacific/Auckland by default),
 * never the browser's or the server's own zone, so that "today" and a week's edges are right
 * on both sides of a daylight-saving switch.
 */
import { TZDate } from '@date-fns/tz';
import { addDays, format, startOfWeek } from 'date-fns';

export const DEFAULT_CLINIC_TIME_ZONE = 'Pacific/Auckland';

/** The calendar date (YYYY-MM-DD) an instant falls on in the clinic's zone. */
export function clinicDate(instant: Date, timeZone: string): string {
  return format(new TZDate(instant, timeZone), 'yyyy-MM-dd');
}

/** The instant of a wall-clock time (HH:mm) on a clinic date (YYYY-MM-DD). */
export function clinicInstant(date: string, time: string, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  const [hours, minutes] = time.split(':').map(Number);
  return new Date(new TZDate(year, month - 1, day, hours, minutes, 0, timeZone).getTime());
}

/** A FHIR instant written in the clinic's offset, e.g. 2026-12-01T08:30:00+13:00. */
export function toFhirInstant(instant: Date, timeZone: string): string {
  return format(new TZDate(instant, timeZone), "yyyy-MM-dd'T'HH:mm:ssxxx");
}

/** Adds whole calendar days to a clinic date (YYYY-MM-DD). */
export function addClinicDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return format(addDays(new Date(year, month - 1, day), days), 'yyyy-MM-dd');
}

/** The Monday (YYYY-MM-DD) of the clinic week that contains the given clinic date. */
export function startOfClinicWeek(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return format(startOfWeek(new Date(year, month - 1, day), { weekStartsOn: 1 }), 'yyyy-MM-dd');
}

/** ISO day of the week of a clinic date: 1 = Monday ... 7 = Sunday. */
export function clinicWeekday(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return ((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7) + 1;
}

/** The zone's short name at that instant, e.g. NZDT in summer and NZST in winter. */
export function timeZoneAbbreviation(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-NZ', { timeZone, timeZoneName: 'short' }).formatToParts(instant);
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}

/** The wall-clock time (HH:mm, 24-hour) of an instant in the clinic's zone: sorts as it reads. */
export function clinicTimeOfDay(instant: Date, timeZone: string): string {
  return format(new TZDate(instant, timeZone), 'HH:mm');
}
