import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { onlineBookableFrom, type DeliveryChannel } from '../../../../domain/extensions';
import { useAppConfig, useFhirClient } from '../../../lib/appContext';
import { LIVE_POLL_MS } from '../../../lib/live';
import { useServerCapabilities } from '../../../lib/serverCapabilities';
import { firstAvailableQuery, type RoleFilter } from '../api/firstAvailable';
import { slotQueries } from '../api/slotQueries';
import type { TimeOption } from '../components/DayAndTimeChoice';

/** A time a patient can book: the slot, and with whom, where and how. */
export interface BookableTime extends TimeOption {
  start: string;
  practitioner: { id: string; name: string };
  location?: { id: string; name: string };
  channel?: DeliveryChannel;
}

/** One of the chosen practitioner's schedules, and the place it is kept at when it names one. */
export interface ScheduleAt {
  scheduleId: string;
  locationId?: string;
  locationName?: string;
  /** The schedule's online-bookable flag; a slot's own flag overrides it. */
  onlineBookable?: boolean;
}

/** Where "anyone" looks: one clinic (never a nurse in another city), and optionally one role. */
export interface AnyoneAmong {
  locationId: string;
  role: RoleFilter;
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
  /** For anyone: the clinic and role to look among (nothing is searched until a clinic is known). */
  among?: AnyoneAmong;
}

/**
 * The free times a patient may book online in one clinic week: the chosen practitioner's, or
 * everyone's at a clinic (every page of them, so no time is lost), each with whom and how.
 */
export function useBookableTimes(
  { chosen, anyone, practitionerId, schedules, nameOf, among }: WhoseTimes,
  weekStart: string,
) {
  const client = useFhirClient();
  const { timeZone } = useAppConfig();
  const capabilities = useServerCapabilities();
  const scheduleIds = schedules.data?.map((schedule) => schedule.scheduleId) ?? [];
  const own = useQuery({
    ...slotQueries.week(client, { practitionerId, scheduleIds, weekStart, timeZone }),
    enabled: scheduleIds.length > 0,
  });
  const everyone = useQuery({
    ...firstAvailableQuery(client, {
      locationId: among?.locationId ?? '',
      role: among?.role ?? '',
      // The channel is chosen among those the week offers, so the search leaves it open.
      channel: '',
      partOfDay: '',
      from: weekStart,
      days: 7,
      onlineOnly: true,
      timeZone,
      server: {
        serviceType: capabilities.supportsSearchParam('Slot', 'service-type'),
        channel: capabilities.supportsSearchParam('Slot', 'channel'),
      },
    }),
    enabled: anyone && Boolean(among?.locationId),
    // As a practitioner's week does: a time booked elsewhere leaves the list while the patient looks.
    refetchInterval: LIVE_POLL_MS,
  });

  let options: BookableTime[] = [];
  if (anyone && everyone.data) {
    options = everyone.data.times.map((time) => {
      // A schedule that gives no name leaves the id in its place: the practitioners' list knows the name.
      const { id, name } = time.practitioner;
      const practitioner = { id, name: name === id ? nameOf(id) : name };
      return {
        id: time.slotId,
        start: time.start,
        startsAt: time.startsAt,
        day: time.day,
        group: practitioner.name,
        practitioner,
        location: time.location,
        channel: time.channel,
      };
    });
  } else if (!anyone && own.data && schedules.data) {
    const now = new Date().getTime();
    const places = new Map(schedules.data.map((schedule) => [schedule.scheduleId, schedule]));
    options = own.data.flatMap((slot): BookableTime[] => {
      const place = slot.scheduleId ? places.get(slot.scheduleId) : undefined;
      if (slot.startsAt.getTime() <= now || !onlineBookableFrom(place?.onlineBookable, slot.onlineBookable)) return [];
      const location = place?.locationId
        ? { id: place.locationId, name: place.locationName ?? place.locationId }
        : undefined;
      return [
        {
          id: slot.id,
          start: slot.start,
          startsAt: slot.startsAt,
          day: slot.day,
          practitioner: { id: practitionerId, name: nameOf(practitionerId) },
          location,
          channel: slot.channel,
        },
      ];
    });
  }
  const failed = anyone ? everyone : schedules.isError ? schedules : own;
  const noSchedule = !anyone && schedules.isSuccess && scheduleIds.length === 0;
  const pending =
    chosen &&
    !noSchedule &&
    (anyone ? Boolean(among?.locationId) && everyone.isPending : schedules.isPending || own.isPending);
  return {
    options,
    pending,
    noSchedule,
    /** The search stopped at its page limit: more times may exist this week than are listed. */
    incomplete: anyone && (everyone.data?.stoppedEarly ?? false),
    error: failed.isError ? failed.error : null,
    retry: () => void failed.refetch(),
  };
}
