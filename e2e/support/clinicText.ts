/**
 * What a screen reader hears for a slot or an appointment, worked out from the FHIR instant the way the
 * app words it (clinic zone, New Zealand English). Spaces are matched loosely because ICU versions
 * differ on plain versus narrow no-break spaces in "8:30 am".
 */
import type { Slot } from 'fhir/r4';
import { clinicDate, DEFAULT_CLINIC_TIME_ZONE, startOfClinicWeek } from '../../domain/clinicTime';
import { formatCalendarDate, formatClinicDate, formatClinicDateTime, formatClinicTime } from '../../src/lib/format';

export const CLINIC_TIME_ZONE = DEFAULT_CLINIC_TIME_ZONE;

function loose(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s*');
}

/** The radio's name: "8:30 am". */
export function slotTimeName(slot: Slot): RegExp {
  return new RegExp(`^${loose(formatClinicTime(new Date(slot.start), CLINIC_TIME_ZONE))}$`, 'i');
}

/** The day's group name begins with the day: "Wednesday 25 November". */
export function slotDayName(slot: Slot): RegExp {
  return new RegExp(`^${loose(formatCalendarDate(clinicDate(new Date(slot.start), CLINIC_TIME_ZONE)))}\\b`);
}

/** "Wed 25 Nov 2026, 8:30 am NZDT", anywhere in a longer name. */
export function slotWhen(slot: Slot): RegExp {
  return new RegExp(loose(formatClinicDateTime(new Date(slot.start), CLINIC_TIME_ZONE)));
}

/** How a listed appointment says when it is: "Wed 25 Nov 2026, 8:30 am to 8:45 am NZDT". */
export function listedWhen(slot: Slot): RegExp {
  const start = new Date(slot.start);
  const text = `${formatClinicDate(start, CLINIC_TIME_ZONE)}, ${formatClinicTime(start, CLINIC_TIME_ZONE)} to ${formatClinicTime(new Date(slot.end), CLINIC_TIME_ZONE)}`;
  return new RegExp(loose(text));
}

/** How many weeks after the clinic's current week the slot is. */
export function weeksAhead(slot: Slot, now = new Date()): number {
  const week = (instant: Date) => Date.parse(startOfClinicWeek(clinicDate(instant, CLINIC_TIME_ZONE)));
  return Math.round((week(new Date(slot.start)) - week(now)) / (7 * 24 * 60 * 60_000));
}
