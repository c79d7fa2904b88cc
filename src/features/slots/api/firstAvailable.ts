/**
 * The earliest free times at one location, across every practitioner working there, from a chosen
 * date: filtered by role (the schedule's service type), delivery channel and part of the day, and
 * followed page by page over week boundaries until enough are found, or the window ends, or the
 * page limit is reached (then it says so: never a silently short list). The desk asks for the
 * first WANTED over WINDOW_DAYS; a patient for every time in one week, online-bookable only.
 */
import { queryOptions } from '@tanstack/react-query';
import type { Bundle, Schedule, Slot } from 'fhir/r4';
import { addClinicDays, clinicDate, clinicInstant, toFhirInstant } from '../../../../domain/clinicTime';
import {
  deliveryChannelOf,
  isOnlineBookable,
  DELIVERY_CHANNEL_DISPLAY,
  type DeliveryChannel,
} from '../../../../domain/extensions';
import { parseReference } from '../../../../domain/references';
import { bundleResources, type FhirClient } from '../../../lib/fhirClient';
import { queryKeys } from '../../../lib/queryKeys';

export const SERVICE_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/service-type';

/** The roles the desk filters by, as FHIR service-type codes on the schedule (the demo has no PractitionerRole). */
export const ROLES = {
  gp: { label: 'GP', codes: ['124'] },
  nurse: { label: 'Nurse', codes: ['59', '572'] },
} as const;
export type RoleFilter = keyof typeof ROLES | '';
export type PartOfDay = 'morning' | 'afternoon' | '';
export const PART_OF_DAY_LABEL: Record<Exclude<PartOfDay, ''>, string> = {
  morning: 'Morning (before 12)',
  afternoon: 'Afternoon (from 12)',
};

const ROLE_OF_CODE: Record<string, string> = { '124': 'GP', '59': 'Nurse', '572': 'Nurse practitioner' };

export interface FirstAvailableRequest {
  locationId: string;
  role: RoleFilter;
  channel: DeliveryChannel | '';
  partOfDay: PartOfDay;
  /** The clinic date (YYYY-MM-DD) to look from. */
  from: string;
  /** How many clinic days from `from` to look through. */
  days: number;
  /** Stop at this many times; undefined for every time in the window (a patient's week). */
  wanted?: number;
  /** Only slots patients may book online (a patient's search); the desk sees them all. */
  onlineOnly: boolean;
  timeZone: string;
  /** Which filters the server declares it can apply itself; the rest are applied here. */
  server: { serviceType: boolean; channel: boolean };
}

export interface AvailableTime {
  slotId: string;
  start: string;
  end: string;
  startsAt: Date;
  day: string;
  practitioner: { id: string; name: string };
  location: { id: string; name: string };
  role?: string;
  channel?: DeliveryChannel;
  channelLabel?: string;
}

export interface FirstAvailableResult {
  times: AvailableTime[];
  /** How far the search looked (exclusive clinic date), when it ran out of time rather than of results. */
  lookedUntil: string;
  /** Stopped at the page limit with more to look at: say so, and offer a later date. */
  stoppedEarly: boolean;
}

export const WANTED = 12;
export const WINDOW_DAYS = 28;
const PAGE_SIZE = 100;
const MAX_PAGES = 10;

function roleOf(schedule: Schedule | undefined): { label?: string; codes: string[] } {
  const types = schedule?.serviceType ?? [];
  const codes = types.flatMap((type) =>
    (type.coding ?? [])
      .filter((coding) => coding.system === SERVICE_TYPE_SYSTEM && coding.code)
      .map((coding) => coding.code as string),
  );
  const label =
    codes.map((code) => ROLE_OF_CODE[code]).find(Boolean) ??
    (types[0]?.text && /nurs/i.test(types[0].text) ? 'Nurse' : types[0]?.text ? 'GP' : undefined);
  return { label, codes };
}

function hourOf(instant: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(instant));
}

function actor(schedule: Schedule | undefined, type: string): { id: string; name?: string } | undefined {
  const found = schedule?.actor.find((candidate) => parseReference(candidate.reference)?.resourceType === type);
  const id = parseReference(found?.reference)?.id;
  return id ? { id, name: found?.display } : undefined;
}

/** One page's slots as times to offer, with only those that pass the filters the server did not apply. */
export function availableTimes(bundle: Bundle, request: FirstAvailableRequest, now: Date): AvailableTime[] {
  const { matches, included } = bundleResources<Slot>(bundle);
  const schedules = new Map(
    included
      .filter((resource): resource is Schedule => resource.resourceType === 'Schedule')
      .map((schedule) => [schedule.id, schedule]),
  );
  return matches.flatMap((slot): AvailableTime[] => {
    const schedule = schedules.get(parseReference(slot.schedule.reference)?.id);
    const practitioner = actor(schedule, 'Practitioner');
    const location = actor(schedule, 'Location');
    const startsAt = new Date(slot.start);
    if (!practitioner || startsAt.getTime() <= now.getTime()) return [];
    if (request.onlineOnly && !isOnlineBookable(schedule, slot)) return [];
    const role = roleOf(schedule);
    const channel = deliveryChannelOf(slot);
    if (
      request.role &&
      !role.codes.some((code) =>
        (ROLES[request.role as keyof typeof ROLES].codes as readonly string[]).includes(code),
      ) &&
      !(role.codes.length === 0 && role.label === ROLES[request.role as keyof typeof ROLES].label)
    )
      return [];
    if (request.channel && channel !== request.channel) return [];
    const hour = hourOf(startsAt, request.timeZone);
    if (request.partOfDay === 'morning' && hour >= 12) return [];
    if (request.partOfDay === 'afternoon' && hour < 12) return [];
    return [
      {
        slotId: slot.id ?? '',
        start: slot.start,
        end: slot.end,
        startsAt,
        day: clinicDate(startsAt, request.timeZone),
        practitioner: { id: practitioner.id, name: practitioner.name ?? practitioner.id },
        location: { id: location?.id ?? request.locationId, name: location?.name ?? request.locationId },
        role: role.label,
        channel,
        channelLabel: channel ? DELIVERY_CHANNEL_DISPLAY[channel] : undefined,
      },
    ];
  });
}

export const firstAvailableQuery = (client: FhirClient, request: FirstAvailableRequest) =>
  queryOptions({
    queryKey: queryKeys.slots.firstAvailable(request),
    queryFn: async ({ signal }): Promise<FirstAvailableResult> => {
      const { locationId, role, channel, from, days, wanted, timeZone, server } = request;
      const until = addClinicDays(from, days);
      const params: Array<[string, string]> = [
        ['schedule.actor', `Location/${locationId}`],
        ['status', 'free'],
        ['start', `ge${toFhirInstant(clinicInstant(from, '00:00', timeZone), timeZone)}`],
        ['start', `lt${toFhirInstant(clinicInstant(until, '00:00', timeZone), timeZone)}`],
        ['_include', 'Slot:schedule'],
        ['_count', String(PAGE_SIZE)],
      ];
      if (role && server.serviceType)
        params.push(['service-type', ROLES[role].codes.map((code) => `${SERVICE_TYPE_SYSTEM}|${code}`).join(',')]);
      if (channel && server.channel) params.push(['channel', channel]);
      const now = new Date();
      const times: AvailableTime[] = [];
      let page: Bundle | undefined = await client.search('Slot', params, signal);
      let pages = 1;
      for (;;) {
        times.push(...availableTimes(page, request, now));
        if (wanted !== undefined && times.length >= wanted) break;
        const hasNext = page.link?.some((link) => link.relation === 'next') ?? false;
        if (!hasNext) break;
        if (pages >= MAX_PAGES) return { times: times.sort(byStart), lookedUntil: until, stoppedEarly: true };
        page = await client.nextPage(page, signal);
        pages += 1;
        if (!page) break;
      }
      times.sort(byStart);
      return { times: wanted === undefined ? times : times.slice(0, wanted), lookedUntil: until, stoppedEarly: false };
    },
    enabled: Boolean(request.locationId && request.from),
    staleTime: 0,
    refetchOnWindowFocus: 'always',
  });

function byStart(a: AvailableTime, b: AvailableTime): number {
  return a.startsAt.getTime() - b.startsAt.getTime();
}
