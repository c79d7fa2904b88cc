/**
 * Free 15-minute slots for a schedule: Monday to Friday, 08:30 to 17:00 clinic time (the last slot
 * starts at 16:45). Every wall-clock time goes through clinicInstant, so a slot is at 08:30 in
 * Auckland on both sides of a daylight-saving switch, and is written with that day's offset.
 * Slot ids come from the schedule and the clinic-time start alone, so building the same day again
 * (a later start topping up the horizon) gives the same ids and cannot create duplicates.
 * What else a slot says comes from its schedule too, so topped-up slots match the first ones: the
 * schedule's service type, its clinician's delivery channel, and where the schedule is not bookable
 * online, the first slots of each day released for online booking.
 */
import type { Extension, Schedule, Slot } from 'fhir/r4';
import { addClinicDays, clinicInstant, clinicWeekday, toFhirInstant } from '../../domain/clinicTime';
import { deliveryChannelExtension, isOnlineBookable, onlineBookableExtension } from '../../domain/extensions';
import { scheduleChannel } from './clinics';

export const SLOT_MINUTES = 15;
export const DAY_START = '08:30';
export const DAY_END = '17:00';

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

/** Start and end wall-clock times of each slot in a clinic day: [['08:30', '08:45'], ... ['16:45', '17:00']]. */
export const SLOT_TIMES: ReadonlyArray<readonly [string, string]> = (() => {
  const times: Array<[string, string]> = [];
  for (let m = minutesOf(DAY_START); m + SLOT_MINUTES <= minutesOf(DAY_END); m += SLOT_MINUTES) {
    times.push([hhmm(m), hhmm(m + SLOT_MINUTES)]);
  }
  return times;
})();

/** FHIR ids are at most 64 characters of [A-Za-z0-9-.]. */
const MAX_ID = 64;

/**
 * `slot-<practitioner short>-<yyyymmdd>-<hhmm>`, e.g. slot-parata-20270329-0830 for schedule
 * sched-prac-parata. A schedule with a long or unusual id is cut to fit, keeping the date and time.
 */
export function slotId(scheduleId: string, date: string, time: string): string {
  const suffix = `-${date.replaceAll('-', '')}-${time.replace(':', '')}`;
  const short = scheduleId
    .replace(/^sched-/, '')
    .replace(/^prac-/, '')
    .replace(/[^A-Za-z0-9\-.]/g, '');
  return `slot-${short}`.slice(0, MAX_ID - suffix.length) + suffix;
}

/** Weekdays (clinic dates, YYYY-MM-DD) from `fromDate` up to but not including `toDateExclusive`. */
export function clinicWeekdays(fromDate: string, toDateExclusive: string): string[] {
  const days: string[] = [];
  for (let date = fromDate; date < toDateExclusive; date = addClinicDays(date, 1)) {
    if (clinicWeekday(date) <= 5) days.push(date);
  }
  return days;
}

/**
 * Writes wall-clock times (HH:mm, from `from` to `to`) on one clinic date as FHIR instants, working
 * out the zone's offset once for the day rather than once per time (a zone conversion costs tens of
 * microseconds, which adds up over tens of thousands of slots). If the offset changes inside that
 * window (it never does in NZ clinic hours: the switches are at 2am and 3am on a Sunday), or a time
 * outside it is asked for, each time is converted on its own.
 */
export function clinicDayClock(date: string, from: string, to: string, timeZone: string): (time: string) => string {
  const exact = (time: string) => toFhirInstant(clinicInstant(date, time, timeZone), timeZone);
  const first = clinicInstant(date, from, timeZone);
  const last = clinicInstant(date, to, timeZone);
  if (last.getTime() - first.getTime() !== (minutesOf(to) - minutesOf(from)) * 60_000) return exact;
  const offset = toFhirInstant(first, timeZone).slice(-6);
  return (time) => (time >= from && time <= to ? `${date}T${time}:00${offset}` : exact(time));
}

/** Where a schedule is not bookable online, this many slots at the start of each day are. */
export const RELEASED_SLOTS_PER_DAY = 2;

export function slotsForSchedule(
  schedule: Schedule,
  fromDate: string,
  toDateExclusive: string,
  timeZone: string,
): Slot[] {
  if (!schedule.id) throw new Error('A schedule needs an id before it can have slots');
  const scheduleId = schedule.id;
  const channel = [deliveryChannelExtension(scheduleChannel(scheduleId))];
  const released: Extension[] = [...channel, onlineBookableExtension(true)];
  const releases = !isOnlineBookable(schedule);
  const slots: Slot[] = [];
  for (const date of clinicWeekdays(fromDate, toDateExclusive)) {
    const clock = clinicDayClock(date, DAY_START, DAY_END, timeZone);
    SLOT_TIMES.forEach(([start, end], index) => {
      slots.push({
        resourceType: 'Slot',
        id: slotId(scheduleId, date, start),
        extension: releases && index < RELEASED_SLOTS_PER_DAY ? released : channel,
        schedule: { reference: `Schedule/${scheduleId}` },
        ...(schedule.serviceType ? { serviceType: schedule.serviceType } : {}),
        status: 'free',
        start: clock(start),
        end: clock(end),
      });
    });
  }
  return slots;
}
