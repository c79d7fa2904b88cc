import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useAppConfig, useFhirClient } from '../../../lib/appContext';
import { slotQueries, type FreeSlot } from '../api/slotQueries';
import type { TimeOption } from '../components/DayAndTimeChoice';

/** A time a patient can book: the slot, and with whom and where. */
export interface BookableTime extends TimeOption {
  start: string;
  practitioner: { id: string; name: string };
  location?: { id: string; name: string };
}

/** One of the chosen practitioner's schedules, and the place it is kept at when it names one. */
export interface ScheduleAt {
  scheduleId: string;
  locationId?: string;
  locationName?: string;
}

/** Whose free times to list, as the practitioner choice says: nobody's yet, anyone's, or one practitioner's. */
export interface WhoseTimes {
  /** False until the patient has chosen someone, or anyone. */
  chosen: boolean;
  anyone: boolean;
  /** Empty for anyone, or before a choice. */
  practitionerId: string;
  /** The chosen practitioner's schedules: their slots are searched at these, and each says where. */
  schedules: UseQueryResult<ScheduleAt[]>;
  nameOf: (practitionerId: string) => string;
}

/**
 * The free times of one clinic week for the chosen practitioner, or for anyone: then each time
 * once, with the first practitioner free at it, so the list reads as "when", not "who".
 */
export function useBookableTimes({ chosen, anyone, practitionerId, schedules, nameOf }: WhoseTimes, weekStart: string) {
  const client = useFhirClient();
  const { timeZone } = useAppConfig();
  const scheduleIds = schedules.data?.map((schedule) => schedule.scheduleId) ?? [];
  const own = useQuery({
    ...slotQueries.week(client, { practitionerId, scheduleIds, weekStart, timeZone }),
    enabled: scheduleIds.length > 0,
  });
  const everyone = useQuery({ ...slotQueries.anyPractitionerWeek(client, { weekStart, timeZone }), enabled: anyone });

  const now = new Date().getTime();
  const upcoming = (slot: FreeSlot) => slot.startsAt.getTime() > now;
  let options: BookableTime[] = [];
  if (anyone && everyone.data) {
    const seen = new Set<number>();
    options = everyone.data.filter(upcoming).flatMap((slot) => {
      if (seen.has(slot.startsAt.getTime())) return [];
      seen.add(slot.startsAt.getTime());
      const name = slot.practitioner.name ?? nameOf(slot.practitioner.id);
      const location = slot.location
        ? { id: slot.location.id, name: slot.location.name ?? slot.location.id }
        : undefined;
      return [
        {
          id: slot.id,
          start: slot.start,
          startsAt: slot.startsAt,
          day: slot.day,
          detail: `with ${name}`,
          practitioner: { id: slot.practitioner.id, name },
          location,
        },
      ];
    });
  } else if (!anyone && own.data && schedules.data) {
    const places = new Map(schedules.data.map((schedule) => [schedule.scheduleId, schedule]));
    options = own.data.filter(upcoming).map((slot) => {
      const place = slot.scheduleId ? places.get(slot.scheduleId) : undefined;
      const location = place?.locationId
        ? { id: place.locationId, name: place.locationName ?? place.locationId }
        : undefined;
      return {
        id: slot.id,
        start: slot.start,
        startsAt: slot.startsAt,
        day: slot.day,
        practitioner: { id: practitionerId, name: nameOf(practitionerId) },
        location,
      };
    });
  }
  const failed = anyone ? everyone : schedules.isError ? schedules : own;
  const noSchedule = !anyone && schedules.isSuccess && scheduleIds.length === 0;
  const pending = chosen && !noSchedule && (anyone ? everyone.isPending : schedules.isPending || own.isPending);
  return {
    options,
    pending,
    noSchedule,
    error: failed.isError ? failed.error : null,
    retry: () => void failed.refetch(),
  };
}
