/** How names, dates and times read on screen: New Zealand English, times in the clinic's zone. */
import type { HumanName } from 'fhir/r4';
import { addClinicDays, timeZoneAbbreviation } from '../../domain/clinicTime';
import { DELIVERY_CHANNEL_DISPLAY, isDeliveryChannel } from '../../domain/extensions';

export function humanName(names: HumanName[] | undefined): string {
  const name = names?.find((candidate) => candidate.use === 'official') ?? names?.[0];
  if (!name) return 'Unnamed';
  if (name.text) return name.text;
  return [...(name.prefix ?? []), ...(name.given ?? []), name.family].filter(Boolean).join(' ') || 'Unnamed';
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat('en-NZ', { timeZone, ...options });
    formatters.set(key, found);
  }
  return found;
}

/** "8:30 am" in the clinic's zone. */
export function formatClinicTime(instant: Date, timeZone: string): string {
  return formatter(timeZone, { hour: 'numeric', minute: '2-digit', hour12: true }).format(instant);
}

/** "Wed 25 Nov 2026" in the clinic's zone. */
export function formatClinicDate(instant: Date, timeZone: string): string {
  return formatter(timeZone, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(instant);
}

/** "Wed 25 Nov 2026, 8:30 am NZDT": the zone is named because the reader may be elsewhere. */
export function formatClinicDateTime(instant: Date, timeZone: string): string {
  return `${formatClinicDate(instant, timeZone)}, ${formatClinicTime(instant, timeZone)} ${timeZoneAbbreviation(instant, timeZone)}`;
}

/** A calendar date (YYYY-MM-DD), e.g. "Wednesday 25 November", with no zone arithmetic. */
export function formatCalendarDate(
  date: string,
  options: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' },
): string {
  const [year, month, day] = date.split('-').map(Number);
  return formatter('UTC', options).format(new Date(Date.UTC(year, month - 1, day)));
}

/** A clinic week from its Monday (YYYY-MM-DD), e.g. "23 Nov – 29 Nov 2026". */
export function formatWeek(weekStart: string): string {
  const short = { day: 'numeric', month: 'short' } as const;
  return `${formatCalendarDate(weekStart, short)} – ${formatCalendarDate(addClinicDays(weekStart, 6), { ...short, year: 'numeric' })}`;
}

/** Whole years from a birth date to a clinic date, both YYYY-MM-DD. */
export function ageOn(birthDate: string, today: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return undefined;
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** "19 Jul 1984 (42 y)"; a partial birth date is shown as given. */
export function formatBirthDate(birthDate: string | undefined, today: string): string {
  if (!birthDate) return 'Birth date not recorded';
  const age = ageOn(birthDate, today);
  if (age === undefined) return birthDate;
  return `${formatCalendarDate(birthDate, { day: 'numeric', month: 'short', year: 'numeric' })} (${age} y)`;
}

export function formatGender(gender: string | undefined): string {
  if (!gender) return 'Gender not recorded';
  return gender.charAt(0).toUpperCase() + gender.slice(1);
}

/** How an appointment is held: "In person", "Telephone", "Video call". */
export function formatChannel(channel: string | undefined): string {
  const code = channel ?? 'in-person';
  return isDeliveryChannel(code) ? DELIVERY_CHANNEL_DISPLAY[code] : code;
}

const STATUS_WORDS: Record<string, string> = {
  booked: 'Booked',
  arrived: 'Arrived',
  fulfilled: 'Seen',
  noshow: 'Did not attend',
  cancelled: 'Cancelled',
  'checked-in': 'Arrived',
};

/** An appointment's status as the desk says it. */
export function formatAppointmentStatus(status: string): string {
  return STATUS_WORDS[status] ?? status.charAt(0).toUpperCase() + status.slice(1);
}

/** A wait in whole minutes: "4 min", "1 h 5 min". */
export function formatWaited(milliseconds: number): string {
  const minutes = Math.max(0, Math.floor(milliseconds / 60_000));
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
