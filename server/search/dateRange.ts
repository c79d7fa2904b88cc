/**
 * FHIR date search values (`ge2026-12-01`, `lt2026-12-01T09:30`, `2026-12`) turned into ranges.
 * A value without an offset is read in the clinic's zone, so "2026-12-01" means that clinic day.
 */
import { addClinicDays, clinicInstant } from '../../domain/clinicTime';
import type { InstantRange } from '../storage/searchSpec';

type Prefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb' | 'ap';

const VALUE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

export interface ParsedDate {
  prefix: Prefix;
  low: Date;
  high: Date;
  lowDate: string;
  highDate: string;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function validDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Parses one value; undefined when it is not a FHIR date search value. */
export function parseDateValue(raw: string, timeZone: string): ParsedDate | undefined {
  const prefixMatch = /^(eq|ne|gt|lt|ge|le|sa|eb|ap)/.exec(raw);
  const prefix = (prefixMatch?.[1] ?? 'eq') as Prefix;
  const match = VALUE.exec(raw.slice(prefixMatch ? 2 : 0));
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = mo ? Number(mo) : 1;
  const day = d ? Number(d) : 1;
  if (month < 1 || month > 12 || !validDay(year, month, day) || year < 1) return undefined;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || (s !== undefined && Number(s) > 59))) return undefined;

  const lowDate = `${y}-${pad(month)}-${pad(day)}`;
  if (h === undefined) {
    const highDate = d
      ? addClinicDays(lowDate, 1)
      : mo
        ? month === 12
          ? `${year + 1}-01-01`
          : `${y}-${pad(month + 1)}-01`
        : `${year + 1}-01-01`;
    return {
      prefix,
      lowDate,
      highDate,
      low: clinicInstant(lowDate, '00:00', timeZone),
      high: clinicInstant(highDate, '00:00', timeZone),
    };
  }
  const seconds = s ?? '00';
  const precisionMs = fraction ? 10 ** (3 - Math.min(fraction.length - 1, 3)) : s !== undefined ? 1000 : 60_000;
  const low = zone
    ? new Date(`${lowDate}T${h}:${mi}:${seconds}${fraction ? fraction.slice(0, 4) : ''}${zone}`)
    : new Date(
        clinicInstant(lowDate, `${h}:${mi}`, timeZone).getTime() +
          Number(seconds) * 1000 +
          (fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0),
      );
  if (Number.isNaN(low.getTime())) return undefined;
  return { prefix, lowDate, highDate: addClinicDays(lowDate, 1), low, high: new Date(low.getTime() + precisionMs) };
}

export interface Bounds<T> {
  range: { from?: T; to?: T };
  negate: boolean;
}

/** The bounds a point in time (or day) must fall within to match the value. */
export function boundsFor<T>(prefix: Prefix, low: T, high: T): Bounds<T> {
  switch (prefix) {
    case 'ge':
      return { range: { from: low }, negate: false };
    case 'gt':
    case 'sa':
      return { range: { from: high }, negate: false };
    case 'le':
      return { range: { to: high }, negate: false };
    case 'lt':
    case 'eb':
      return { range: { to: low }, negate: false };
    case 'ne':
      return { range: { from: low, to: high }, negate: true };
    default:
      return { range: { from: low, to: high }, negate: false };
  }
}

export function instantBounds(parsed: ParsedDate): { range: InstantRange; negate: boolean } {
  return boundsFor(parsed.prefix, parsed.low, parsed.high);
}

export function dateBounds(parsed: ParsedDate): Bounds<string> {
  return boundsFor(parsed.prefix, parsed.lowDate, parsed.highDate);
}
