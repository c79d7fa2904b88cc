/**
 * Demo data at start-up: created in an empty store (>= 50 patients, >= 6 practitioners, slots
 * 8 weeks ahead), never again in a store with data, and free slots topped up to the horizon on
 * every later start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addClinicDays, clinicInstant } from '../../domain/clinicTime';
import { ensureDemoData } from '../demo/ensureDemoData';
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
});
