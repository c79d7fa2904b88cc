import { QueryClient } from '@tanstack/react-query';
import type { Bundle, Schedule, Slot } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { addClinicDays, clinicInstant, toFhirInstant } from '../../../../domain/clinicTime';
import { DELIVERY_CHANNEL_URL, onlineBookableExtension } from '../../../../domain/extensions';
import type { FhirClient } from '../../../lib/fhirClient';
import { nextWeek, TIME_ZONE } from '../../../test/fhirFixtures';
import {
  firstAvailableQuery,
  SERVICE_TYPE_SYSTEM,
  WANTED,
  WINDOW_DAYS,
  type FirstAvailableRequest,
} from './firstAvailable';

const schedule = (id: string, practitioner: string, code: string): Schedule => ({
  resourceType: 'Schedule',
  id,
  serviceType: [{ coding: [{ system: SERVICE_TYPE_SYSTEM, code }] }],
  actor: [
    { reference: `Practitioner/${practitioner}`, display: practitioner },
    { reference: 'Location/loc-1', display: 'Ponsonby Family Health' },
  ],
});
const gp = schedule('sched-gp', 'prac-gp', '124');
const nurse = schedule('sched-nurse', 'prac-nurse', '59');

function slot(day: string, time: string, sched: Schedule, channel = 'in-person'): Slot {
  const start = clinicInstant(day, time, TIME_ZONE);
  return {
    resourceType: 'Slot',
    id: `${sched.id}-${day}-${time}`,
    schedule: { reference: `Schedule/${sched.id}` },
    status: 'free',
    start: toFhirInstant(start, TIME_ZONE),
    end: toFhirInstant(new Date(start.getTime() + 15 * 60_000), TIME_ZONE),
    extension: [{ url: DELIVERY_CHANNEL_URL, valueCode: channel }],
  };
}

/** A server that pages its slots `size` at a time with next links, as the FHIR server does. */
function pagingClient(slots: Slot[], size: number) {
  const asked: string[] = [];
  const pageAt = (offset: number): Bundle => ({
    resourceType: 'Bundle',
    type: 'searchset',
    total: slots.length,
    link:
      offset + size < slots.length
        ? [{ relation: 'next', url: `http://fhir.test/fhir/Slot?_offset=${offset + size}` }]
        : [],
    entry: [
      ...slots.slice(offset, offset + size).map((resource) => ({ resource, search: { mode: 'match' as const } })),
      ...[gp, nurse].map((resource) => ({ resource, search: { mode: 'include' as const } })),
    ],
  });
  const client = {
    search: async (_type: string, params: Array<[string, string]>) => {
      asked.push(new URLSearchParams(params).toString());
      return pageAt(0);
    },
    nextPage: async (bundle: Bundle) => {
      const next = bundle.link?.find((link) => link.relation === 'next')?.url;
      if (!next) return undefined;
      asked.push(next);
      return pageAt(Number(new URL(next).searchParams.get('_offset')));
    },
  } as unknown as FhirClient;
  return { client, asked };
}

const monday = nextWeek();
const request = (changes: Partial<FirstAvailableRequest> = {}): FirstAvailableRequest => ({
  locationId: 'loc-1',
  role: '',
  channel: '',
  partOfDay: '',
  from: monday,
  days: WINDOW_DAYS,
  wanted: WANTED,
  onlineOnly: false,
  timeZone: TIME_ZONE,
  server: { serviceType: false, channel: false },
  ...changes,
});

async function run(client: FhirClient, req: FirstAvailableRequest) {
  return new QueryClient().fetchQuery(firstAvailableQuery(client, req));
}

describe('first available', () => {
  it('follows next links over a week boundary, filtering role, channel and part of day itself when the server does not declare them', async () => {
    // Friday morning (nurse, GP by video), then Friday afternoon GP in person, then Monday afternoon GP in person.
    const friday = addClinicDays(monday, 4);
    const later = addClinicDays(monday, 7);
    const slots = [
      slot(friday, '09:00', nurse),
      slot(friday, '10:00', gp, 'video'),
      slot(friday, '11:00', gp),
      slot(friday, '13:00', gp),
      slot(later, '08:30', gp),
      slot(later, '14:00', gp),
      slot(later, '15:00', nurse),
    ];
    const { client, asked } = pagingClient(slots, 2);
    const result = await run(
      client,
      request({ role: 'gp', channel: 'in-person', partOfDay: 'afternoon', from: friday }),
    );
    expect(result.times.map((time) => [time.day, time.role, time.channelLabel])).toEqual([
      [friday, 'GP', 'In person'],
      [later, 'GP', 'In person'],
    ]);
    expect(result.stoppedEarly).toBe(false);
    expect(asked).toHaveLength(4);
    expect(asked[0]).toContain('schedule.actor=Location%2Floc-1');
    expect(asked[0]).not.toContain('service-type');
  });

  it('asks the server to filter where it declares the parameters, and stops at the wanted number', async () => {
    const slots = Array.from({ length: 30 }, (_, i) =>
      slot(addClinicDays(monday, Math.floor(i / 10)), `${String(9 + (i % 10)).padStart(2, '0')}:00`, gp),
    );
    const { client, asked } = pagingClient(slots, 5);
    const result = await run(
      client,
      request({ role: 'nurse', channel: 'video', server: { serviceType: true, channel: true } }),
    );
    expect(asked[0]).toContain(
      `service-type=${encodeURIComponent(`${SERVICE_TYPE_SYSTEM}|59,${SERVICE_TYPE_SYSTEM}|572`)}`,
    );
    expect(asked[0]).toContain('channel=video');
    // The fake server ignores the filters, so the app's own check still holds: no GP in person passes.
    expect(result.times).toEqual([]);
    const all = await run(pagingClient(slots, 5).client, request());
    expect(all.times).toHaveLength(WANTED);
  });

  it("lists every time of a patient's week, past the first page and the desk's wanted number, online-bookable only", async () => {
    const days = Array.from({ length: 5 }, (_, day) => addClinicDays(monday, day));
    const slots = days.flatMap((day) =>
      Array.from({ length: 6 }, (_, i) => slot(day, `${String(9 + i).padStart(2, '0')}:00`, i % 2 ? gp : nurse)),
    );
    // Tuesday 09:00 is kept for the desk: a patient cannot book it online.
    slots[6].extension = [...(slots[6].extension ?? []), onlineBookableExtension(false)];
    const { client, asked } = pagingClient(slots, 7);
    const result = await run(client, request({ days: 7, wanted: undefined, onlineOnly: true }));
    expect(result.times).toHaveLength(29);
    expect(result.times.map((time) => time.slotId)).not.toContain(slots[6].id);
    expect(new Set(result.times.map((time) => time.day))).toEqual(new Set(days));
    expect(result.stoppedEarly).toBe(false);
    expect(asked).toHaveLength(5);
    expect(asked[0]).toContain(
      `start=lt${encodeURIComponent(toFhirInstant(clinicInstant(addClinicDays(monday, 7), '00:00', TIME_ZONE), TIME_ZONE))}`,
    );
  });

  it('says it stopped early rather than returning a silently short list', async () => {
    const slots = Array.from({ length: 60 }, (_, i) =>
      slot(
        addClinicDays(monday, Math.floor(i / 20)),
        `${String(8 + Math.floor((i % 20) / 4)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}`,
        nurse,
      ),
    );
    const { client } = pagingClient(slots, 2);
    const result = await run(client, request({ role: 'gp' }));
    expect(result.stoppedEarly).toBe(true);
    expect(result.times).toEqual([]);
  });
});
