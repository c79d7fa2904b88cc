import { queryOptions } from '@tanstack/react-query';
import type { Slot } from 'fhir/r4';
import { deliveryChannelOf, onlineBookableOf, type DeliveryChannel } from '../../../../domain/extensions';
import { parseReference } from '../../../../domain/references';
import { addClinicDays, clinicDate, clinicInstant, toFhirInstant } from '../../../../domain/clinicTime';
import type { FhirClient } from '../../../lib/fhirClient';
import { LIVE_POLL_MS } from '../../../lib/live';
import { queryKeys } from '../../../lib/queryKeys';
import { searchWhole } from '../../../lib/searchAll';

export interface FreeSlot {
  id: string;
  start: string;
  end: string;
  startsAt: Date;
  /** The clinic date (YYYY-MM-DD) the slot starts on. */
  day: string;
  scheduleId: string | undefined;
  /** How the patient is seen, when the slot says. */
  channel: DeliveryChannel | undefined;
  /** The slot's own online-bookable flag, overriding its schedule's when given. */
  onlineBookable: boolean | undefined;
}

export interface SlotWeekRequest {
  practitionerId: string;
  scheduleIds: string[];
  /** The Monday (YYYY-MM-DD) of the clinic week. */
  weekStart: string;
  timeZone: string;
}

const MAX_SLOTS_PER_WEEK = 1000;

function toFreeSlot(slot: Slot, timeZone: string): FreeSlot {
  const startsAt = new Date(slot.start);
  return {
    id: slot.id ?? '',
    start: slot.start,
    end: slot.end,
    startsAt,
    day: clinicDate(startsAt, timeZone),
    scheduleId: parseReference(slot.schedule.reference)?.id,
    channel: deliveryChannelOf(slot),
    onlineBookable: onlineBookableOf(slot),
  };
}

function weekWindow(weekStart: string, timeZone: string): Array<[string, string]> {
  const from = toFhirInstant(clinicInstant(weekStart, '00:00', timeZone), timeZone);
  const to = toFhirInstant(clinicInstant(addClinicDays(weekStart, 7), '00:00', timeZone), timeZone);
  return [
    ['start', `ge${from}`],
    ['start', `lt${to}`],
  ];
}

export const slotQueries = {
  /** Free slots of the practitioner's schedules in one clinic week, earliest first. */
  week: (client: FhirClient, { practitionerId, scheduleIds, weekStart, timeZone }: SlotWeekRequest) =>
    queryOptions({
      queryKey: queryKeys.slots.week(practitionerId, scheduleIds, weekStart, timeZone),
      queryFn: async ({ signal }): Promise<FreeSlot[]> => {
        const { matches } = await searchWhole<Slot>(
          "the week's free slots",
          client,
          'Slot',
          [
            ['schedule', scheduleIds.map((id) => `Schedule/${id}`).join(',')],
            ['status', 'free'],
            ...weekWindow(weekStart, timeZone),
            ['_count', String(MAX_SLOTS_PER_WEEK)],
          ],
          signal,
          { revalidate: true },
        );
        return matches
          .map((slot) => toFreeSlot(slot, timeZone))
          .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
      },
      enabled: scheduleIds.length > 0,
      // Another desk may book a slot at any moment: never trust an old list, look again on return, and
      // poll while on screen so a slot taken elsewhere leaves the form within LIVE_POLL_MS (a 304 when unchanged).
      staleTime: 0,
      refetchOnWindowFocus: 'always',
      refetchInterval: LIVE_POLL_MS,
    }),
};

/** Slots still to come, grouped by clinic day in order. */
export function slotsByDay(slots: FreeSlot[], now: Date): Array<{ day: string; slots: FreeSlot[] }> {
  const days = new Map<string, FreeSlot[]>();
  for (const slot of slots) {
    if (slot.startsAt.getTime() <= now.getTime()) continue;
    const list = days.get(slot.day) ?? [];
    list.push(slot);
    days.set(slot.day, list);
  }
  return [...days].map(([day, list]) => ({ day, slots: list }));
}
