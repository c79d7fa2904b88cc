/**
 * Demo data at start-up: created in an empty store (>= 50 patients, >= 6 practitioners, slots
 * 8 weeks ahead), never again in a store with data, and free slots topped up to the horizon on
 * every later start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Schedule, Slot } from 'fhir/r4';
import { addClinicDays, clinicInstant } from '../../domain/clinicTime';
import { deliveryChannelOf, isOnlineBookable } from '../../domain/extensions';
import { ensureDemoData } from '../demo/ensureDemoData';
import { WELL_KNOWN } from '../seed/demoData';
import { openStore, type OpenedStore } from '../storage/openStore';

const TIME_ZONE = 'Pacific/Auckland';
/** A Tuesday morning in the clinic. */
const FIRST_START = clinicInstant('2030-06-04', '08:00', TIME_ZONE);

let opened: OpenedStore;

beforeAll(async () => {
  opened = await openStore({ dataDir: ':memory:' });
});
afterAll(() => opened.close());

async function lastSlotDay(): Promise<string> {
  const last = [...(await opened.store.lastSlotStartBySchedule()).values()].sort((a, b) => a.getTime() - b.getTime());
  expect(last.length).toBeGreaterThanOrEqual(6);
  // The schedule that ends earliest: every practitioner must reach the horizon.
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(last[0]);
}

describe('demo data', () => {
  it('is created on the first start of an empty store', async () => {
    const report = await ensureDemoData(opened.store, TIME_ZONE, FIRST_START);
    expect(report.seeded).toBe(true);
    expect(await opened.store.count('Patient')).toBeGreaterThanOrEqual(50);
    expect(await opened.store.count('Practitioner')).toBeGreaterThanOrEqual(6);
    expect(await opened.store.count('Schedule')).toBeGreaterThanOrEqual(6);
    // Eight weeks from Tuesday 4 June ends on Monday 29 July; the last weekday with slots is the Friday or Monday before.
    expect(await lastSlotDay()).toBeOneOf(['2030-07-26', '2030-07-29']);
  });

  it('is not created again, and nothing is added on a later start the same day', async () => {
    const patients = await opened.store.count('Patient');
    const slots = await opened.store.count('Slot');
    const report = await ensureDemoData(opened.store, TIME_ZONE, new Date(FIRST_START.getTime() + 60 * 60_000));
    expect(report).toEqual({ seeded: false, resourcesAdded: 0 });
    expect(await opened.store.count('Patient')).toBe(patients);
    expect(await opened.store.count('Slot')).toBe(slots);
  });

  it('is extended to 8 weeks ahead on a start two weeks later, keeping what was there', async () => {
    const appointments = await opened.store.count('Appointment');
    const slots = await opened.store.count('Slot');
    const later = clinicInstant(addClinicDays('2030-06-04', 14), '08:00', TIME_ZONE);
    const report = await ensureDemoData(opened.store, TIME_ZONE, later);
    expect(report.seeded).toBe(false);
    expect(report.resourcesAdded).toBeGreaterThan(0);
    expect(await opened.store.count('Slot')).toBe(slots + report.resourcesAdded);
    expect(await opened.store.count('Appointment')).toBe(appointments);
    expect(await lastSlotDay()).toBeOneOf(['2030-08-09', '2030-08-12']);
  });

  it("tops up with slots that carry their schedule's channel, service type and online release", async () => {
    // The weeks only the top-up added: after the first start's horizon.
    const from = clinicInstant('2030-07-30', '00:00', TIME_ZONE);
    const to = clinicInstant('2030-08-13', '00:00', TIME_ZONE);
    const week = async (schedule: string) =>
      (
        await opened.store.search({
          resourceType: 'Slot',
          criteria: [
            { kind: 'reference', param: 'schedule', anyOf: [schedule] },
            { kind: 'instant', negate: false, range: { from, to } },
          ],
          count: 1000,
          offset: 0,
          descending: false,
          include: [],
        })
      ).matches as Slot[];
    const [telephone, video, whitaker] = await Promise.all(
      [WELL_KNOWN.telephoneSchedule, WELL_KNOWN.videoSchedule, WELL_KNOWN.notOnlineBookableSchedule].map(week),
    );
    expect(telephone.length).toBeGreaterThan(0);
    expect(
      telephone.every(
        (slot) => deliveryChannelOf(slot) === 'telephone' && slot.serviceType?.[0]?.coding?.[0]?.code === '572',
      ),
    ).toBe(true);
    expect(
      video.every((slot) => deliveryChannelOf(slot) === 'video' && slot.serviceType?.[0]?.coding?.[0]?.code === '124'),
    ).toBe(true);
    const schedule = (await opened.store.read('Schedule', WELL_KNOWN.notOnlineBookableSchedule)) as
      Schedule | undefined;
    const released = whitaker
      .filter((slot) => isOnlineBookable(schedule, slot))
      .map((slot) => slot.start.slice(11, 16));
    expect(new Set(released)).toEqual(new Set(['08:30', '08:45']));
    expect(released.length).toBe(whitaker.length / 17);
  });
});
