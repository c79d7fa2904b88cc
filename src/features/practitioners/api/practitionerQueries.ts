import { queryOptions } from '@tanstack/react-query';
import type { Appointment, Location, Practitioner, Reference, Schedule } from 'fhir/r4';
import { clinicAddress } from '../../../../domain/clinicAddress';
import { onlineBookableOf } from '../../../../domain/extensions';
import { parseReference, scheduleActorIds } from '../../../../domain/references';
import { bundleResources, type FhirClient, type SearchParams } from '../../../lib/fhirClient';
import { queryKeys } from '../../../lib/queryKeys';
import { namesOfReferences } from '../../../lib/referenceNames';
import { hasMore, searchWhole } from '../../../lib/searchAll';

export interface PractitionerSchedule {
  scheduleId: string;
  locationId?: string;
  locationName?: string;
  /** The schedule's online-bookable flag (its slots may override it); undefined when it says nothing. */
  onlineBookable?: boolean;
}

export interface PlaceChoice {
  id: string;
  name: string;
  /** Its street address on one line, for the calendar file of an appointment booked there. */
  address?: string;
}

const LIST_STALE_MS = 5 * 60_000;
export const PRACTITIONER_RESULT_LIMIT = 20;

function locationActor(schedule: Schedule): Reference | undefined {
  return schedule.actor.find((actor) => parseReference(actor.reference)?.resourceType === 'Location');
}

export const practitionerQueries = {
  search: (client: FhirClient, term: string) =>
    queryOptions({
      queryKey: queryKeys.practitioners.search(term),
      queryFn: async ({ signal }) => {
        const params: SearchParams = term ? [['name', term]] : [];
        const bundle = await client.search(
          'Practitioner',
          [...params, ['_count', String(PRACTITIONER_RESULT_LIMIT)]],
          signal,
        );
        return {
          practitioners: bundleResources<Practitioner>(bundle).matches,
          total: bundle.total,
          more: hasMore(bundle),
        };
      },
      staleTime: LIST_STALE_MS,
    }),
  detail: (client: FhirClient, id: string) =>
    queryOptions({
      queryKey: queryKeys.practitioners.detail(id),
      queryFn: async ({ signal }) => (await client.read<Practitioner>('Practitioner', id, signal)).resource,
      staleTime: LIST_STALE_MS,
    }),
  /**
   * The practitioner's schedules, each with the location it is kept at (if it names one). Usually already
   * held: the list of every schedule (practitionerWorkQuery) fills this in for each practitioner it names.
   */
  schedules: (client: FhirClient, id: string) =>
    queryOptions({
      queryKey: queryKeys.practitioners.schedules(id),
      queryFn: async ({ signal }): Promise<PractitionerSchedule[]> => {
        const { matches } = await searchWhole<Schedule>(
          "the practitioner's schedules",
          client,
          'Schedule',
          [
            ['actor', `Practitioner/${id}`],
            ['_count', '50'],
          ],
          signal,
        );
        return (await describeSchedules(client, matches, signal)).map(({ described }) => described);
      },
      staleTime: LIST_STALE_MS,
    }),
};

/** The active schedules, each described as the app uses it, with its place named (by display, or by reading it). */
async function describeSchedules(
  client: FhirClient,
  schedules: Schedule[],
  signal: AbortSignal | undefined,
): Promise<Array<{ schedule: Schedule; described: PractitionerSchedule }>> {
  const active = schedules.filter((schedule) => schedule.active !== false);
  const locations = active.map((schedule) => locationActor(schedule));
  const names = await namesOfReferences(client, locations, signal);
  return active.map((schedule, index) => {
    const locationId = parseReference(locations[index]?.reference)?.id;
    return {
      schedule,
      described: {
        scheduleId: schedule.id ?? '',
        locationId,
        locationName: locationId ? names.get(`Location/${locationId}`) : undefined,
        onlineBookable: onlineBookableOf(schedule),
      },
    };
  });
}

/** Where and as what each practitioner works, from every schedule at once: "GP · Ponsonby Family Health". */
export interface PractitionerWork {
  role?: string;
  places: string[];
}

const ROLE_OF_SERVICE_CODE: Record<string, string> = { '124': 'GP', '59': 'Nurse', '572': 'Nurse practitioner' };

function roleOfSchedule(schedule: Schedule): string | undefined {
  const codes = (schedule.serviceType ?? []).flatMap((type) => (type.coding ?? []).map((coding) => coding.code ?? ''));
  return codes.map((code) => ROLE_OF_SERVICE_CODE[code]).find(Boolean) ?? schedule.serviceType?.[0]?.text;
}

export const practitionerWorkQuery = (client: FhirClient) =>
  queryOptions({
    queryKey: queryKeys.practitioners.work(),
    queryFn: async ({ signal, client: queryClient }): Promise<Record<string, PractitionerWork>> => {
      const { matches } = await searchWhole<Schedule>('schedules', client, 'Schedule', [['_count', '200']], signal);
      const work: Record<string, PractitionerWork> = {};
      const schedulesOf = new Map<string, PractitionerSchedule[]>();
      for (const { schedule, described } of await describeSchedules(client, matches, signal)) {
        for (const id of scheduleActorIds(schedule, 'Practitioner')) {
          const entry = (work[id] ??= { places: [] });
          entry.role ??= roleOfSchedule(schedule);
          const place = described.locationName;
          if (place && !entry.places.includes(place)) entry.places.push(place);
          schedulesOf.set(id, [...(schedulesOf.get(id) ?? []), described]);
        }
      }
      // The list is whole (searchWhole), so it holds all the active schedules of each practitioner it names:
      // what choosing one of them would ask for (practitionerQueries.schedules) is answered now, without a
      // request. A practitioner it does not name is left to ask the server.
      for (const [id, schedules] of schedulesOf)
        queryClient.setQueryData(queryKeys.practitioners.schedules(id), schedules);
      return work;
    },
    staleTime: LIST_STALE_MS,
  });

export const locationQueries = {
  /** Every location, for a practitioner whose schedule does not say where it is kept. */
  all: (client: FhirClient) =>
    queryOptions({
      queryKey: queryKeys.locations.search(''),
      queryFn: async ({ signal }): Promise<PlaceChoice[]> =>
        (await searchWhole<Location>('locations', client, 'Location', [['_count', '100']], signal)).matches.map(
          (location) => ({
            id: location.id ?? '',
            name: location.name ?? 'Unnamed location',
            address: clinicAddress(location),
          }),
        ),
      staleTime: LIST_STALE_MS,
    }),
};

/** Visits that took place or were due to: a cancelled or missed one says nothing about where the patient goes. */
const VISITED = 'booked,arrived,fulfilled';

/** The clinic of the patient's last visit, to offer first; undefined when they have none (or it names no clinic). */
export const usualClinicQuery = (client: FhirClient, patientId: string) =>
  queryOptions({
    queryKey: queryKeys.appointments.usualClinic(patientId),
    queryFn: async ({ signal }): Promise<string | null> => {
      const bundle = await client.search(
        'Appointment',
        [
          ['patient', `Patient/${patientId}`],
          ['status', VISITED],
          ['date', `lt${new Date().toISOString()}`],
          ['_sort', '-date'],
          ['_count', '1'],
        ],
        signal,
      );
      const last = bundleResources<Appointment>(bundle).matches[0];
      const place = last?.participant.find(
        (found) => parseReference(found.actor?.reference)?.resourceType === 'Location',
      );
      return parseReference(place?.actor?.reference)?.id ?? null;
    },
    staleTime: LIST_STALE_MS,
  });

/** The distinct locations a practitioner's schedules are kept at. */
export function scheduleLocations(schedules: PractitionerSchedule[]): PlaceChoice[] {
  const found = new Map<string, string>();
  for (const schedule of schedules) {
    if (schedule.locationId && !found.has(schedule.locationId))
      found.set(schedule.locationId, schedule.locationName ?? 'Unnamed location');
  }
  return [...found].map(([id, name]) => ({ id, name }));
}

/** The schedules whose slots apply at the chosen location (all of them when none is chosen). */
export function schedulesAt(schedules: PractitionerSchedule[], locationId: string | undefined): string[] {
  return schedules
    .filter((schedule) => !locationId || !schedule.locationId || schedule.locationId === locationId)
    .map((schedule) => schedule.scheduleId);
}
