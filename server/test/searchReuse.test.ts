/**
 * Searches are kept and reused (storage/searchCache.ts), and a write makes the ones it changes stale
 * before it is answered: a search right after a booking or a cancellation sees it, every time.
 */
import type { Appointment, Slot } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clinicInstant, toFhirInstant } from '../../domain/clinicTime';
import { apiOf, type Api } from './api';
import { proposal, SLOT_DAY, slotId, TIME_ZONE } from './fixtures';
import { startTestServer, type TestServer } from './testServer';

let server: TestServer;
let api: Api;

beforeAll(async () => {
  server = await startTestServer();
  api = apiOf(server);
});
afterAll(() => server.close());

const day = (schedule: string) =>
  `Slot?schedule=Schedule/${schedule}&status=free&start=ge${encodeURIComponent(toFhirInstant(clinicInstant(SLOT_DAY, '00:00', TIME_ZONE), TIME_ZONE))}&_count=100`;

/** The clinic week around SLOT_DAY, bounded both ways as the app asks for it (kept day by day). */
const week = (schedule: string) => {
  const at = (date: string) => encodeURIComponent(toFhirInstant(clinicInstant(date, '00:00', TIME_ZONE), TIME_ZONE));
  return `Slot?schedule=Schedule/${schedule}&status=free&start=ge${at('2030-03-04')}&start=lt${at('2030-03-11')}&_count=100`;
};

async function freeSlotIds(schedule: string, query = day): Promise<string[]> {
  return ((await api.search<Slot>(query(schedule))).entry ?? []).map((entry) => entry.resource?.id as string);
}

describe('a kept search after a write', () => {
  it('no longer lists a slot booked, and lists it again once the booking is cancelled', async () => {
    const slot = slotId('prac-1', '10:00');
    // Searched twice so the second is answered from what was kept.
    expect(await freeSlotIds('sched-prac-1')).toContain(slot);
    expect(await freeSlotIds('sched-prac-1')).toContain(slot);
    const otherSchedule = await freeSlotIds('sched-prac-2');

    const booked = await api.book(proposal({ time: '10:00' }));
    expect(await freeSlotIds('sched-prac-1')).not.toContain(slot);
    expect(await freeSlotIds('sched-prac-2')).toEqual(otherSchedule);
    const ofPatient = await api.search<Appointment>('Appointment?patient=Patient/pat-a&status=booked');
    expect(ofPatient.entry?.map((entry) => entry.resource?.id)).toContain(booked.id);

    const cancelled = await api.put(
      `Appointment/${booked.id}`,
      { ...booked, status: 'cancelled' },
      {
        'if-match': `W/"${booked.meta?.versionId}"`,
      },
    );
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(await freeSlotIds('sched-prac-1')).toContain(slot);
    const stillBooked = await api.search<Appointment>('Appointment?patient=Patient/pat-a&status=booked');
    expect(stillBooked.entry?.map((entry) => entry.resource?.id) ?? []).not.toContain(booked.id);
  });

  it('sees every one of many bookings made between searches of the same week', async () => {
    const times = ['09:00', '09:15', '09:30', '09:45'];
    for (const time of times) {
      await freeSlotIds('sched-prac-2');
      await api.book(proposal({ practitioner: 'prac-2', location: 'loc-2', patient: 'pat-b', time }));
      expect(await freeSlotIds('sched-prac-2')).not.toContain(slotId('prac-2', time));
    }
  });

  it("sees a booking in a bounded week of the practitioner's slots, and a read by id sees its cancellation", async () => {
    const slot = slotId('prac-1', '11:30');
    expect(await freeSlotIds('sched-prac-1', week)).toContain(slot);
    expect(await freeSlotIds('sched-prac-1', week)).toContain(slot);
    const booked = await api.book(proposal({ patient: 'pat-b', time: '11:30' }));
    expect(await freeSlotIds('sched-prac-1', week)).not.toContain(slot);

    // Read twice so the second is answered from what was kept.
    for (let read = 0; read < 2; read++) {
      const found = await api.get(`Appointment/${booked.id}`);
      expect(JSON.parse(found.body)).toMatchObject({ status: 'booked', meta: { versionId: '1' } });
    }
    const cancelled = await api.put(
      `Appointment/${booked.id}`,
      { ...booked, status: 'cancelled' },
      { 'if-match': `W/"${booked.meta?.versionId}"` },
    );
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const afterCancel = await api.get(`Appointment/${booked.id}`);
    expect(JSON.parse(afterCancel.body)).toMatchObject({ status: 'cancelled', meta: { versionId: '2' } });
    expect(afterCancel.headers.etag).toBe('W/"2"');
    expect(await freeSlotIds('sched-prac-1', week)).toContain(slot);
  });

  it('answers a bounded week day by day with the same slots, order and total as one search of the week', async () => {
    const ids = async (query: string) => {
      const bundle = await api.search<Slot>(query);
      return { total: bundle.total, ids: (bundle.entry ?? []).map((entry) => entry.resource?.id) };
    };
    // `_sort` is searched whole, never day by day.
    const whole = await ids(`${week('sched-prac-2')}&_sort=start`);
    expect(whole.ids.length).toBeGreaterThan(1);
    expect(await ids(week('sched-prac-2'))).toEqual(whole);
    expect(await ids(week('sched-prac-2'))).toEqual(whole);
  });
});
